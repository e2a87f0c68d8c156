import { parseRoleArn } from './arn';
import { roleConsoleUrl } from './consoleUrl';

const role = (arn: string) => {
  const parsed = parseRoleArn(arn);
  if (!parsed.ok) throw new Error(parsed.problems[0].message);
  return parsed.value;
};

describe('roleConsoleUrl', () => {
  it.each([
    [
      'arn:aws:iam::123456789012:role/irsa/irsa-payments-api',
      'https://console.aws.amazon.com/iam/home#/roles/details/irsa-payments-api',
    ],
    [
      'arn:aws-cn:iam::123456789012:role/irsa-payments-api',
      'https://console.amazonaws.cn/iam/home#/roles/details/irsa-payments-api',
    ],
    [
      'arn:aws-us-gov:iam::123456789012:role/a/b/irsa-x',
      'https://console.amazonaws-us-gov.com/iam/home#/roles/details/irsa-x',
    ],
  ])('%s → %s (the path is not part of the page)', (arn, url) => {
    expect(roleConsoleUrl(role(arn))).toBe(url);
  });

  it('escapes the characters IAM allows in names that mean something in a URL', () => {
    expect(
      roleConsoleUrl(role('arn:aws:iam::123456789012:role/a+b=c,d@e')),
    ).toBe(
      'https://console.aws.amazon.com/iam/home#/roles/details/a%2Bb%3Dc%2Cd%40e',
    );
  });
});
