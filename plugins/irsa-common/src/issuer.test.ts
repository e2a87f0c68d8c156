import {
  describeIssuerDifferences,
  isSameIssuer,
  normalizeIssuer,
  oidcConditionKey,
  oidcProviderArnForIssuer,
} from './issuer';

const EKS =
  'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const HOST_PATH =
  'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

describe('normalizeIssuer', () => {
  it.each([
    [EKS],
    [`${EKS}/`],
    [`${EKS}//`],
    [HOST_PATH],
    [
      `HTTPS://OIDC.EKS.EU-WEST-1.AMAZONAWS.COM/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
    ],
    [
      'https://oidc.eks.eu-west-1.amazonaws.com:443/id/EXAMPLED539D4633E53DE1B71EXAMPLE/',
    ],
    [`  ${EKS}\n`],
  ])('normalises %j to the provider URL, ARN tail and key prefix', input => {
    expect(normalizeIssuer(input)).toEqual({
      ok: true,
      value: {
        url: EKS,
        hostPath: HOST_PATH,
        host: 'oidc.eks.eu-west-1.amazonaws.com',
        path: '/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      },
    });
  });

  it('keeps the case of the path, which IAM compares exactly', () => {
    const lower = normalizeIssuer(EKS.toLowerCase());
    expect(lower.ok && lower.value.hostPath).toBe(HOST_PATH.toLowerCase());
    expect(isSameIssuer(EKS, EKS.toLowerCase())).toBe(false);
  });

  it('accepts a bare host', () => {
    expect(normalizeIssuer('https://token.example.com/')).toEqual({
      ok: true,
      value: {
        url: 'https://token.example.com',
        hostPath: 'token.example.com',
        host: 'token.example.com',
        path: '',
      },
    });
  });

  it.each([
    ['http://oidc.example.com', /must use "https"/],
    ['https://oidc.example.com:8443/x', /port "8443"/],
    ['https://user@oidc.example.com', /credentials/],
    ['https://oidc.example.com/x?a=b', /query or fragment/],
    ['https://oidc.example.com/x#frag', /query or fragment/],
    ['https://', /not a DNS name/],
    ['https://oidc_bad.example.com', /not a DNS name/],
    ['https://oidc.example.com/a b', /white space in its path/],
  ])('rejects %s', (input, message) => {
    const result = normalizeIssuer(input);
    expect(result.ok).toBe(false);
    expect(
      !result.ok && result.problems.map(p => p.message).join('\n'),
    ).toMatch(message);
  });

  it('reports every problem at once', () => {
    const result = normalizeIssuer('http://u@oidc.example.com:80/x?y');
    expect(!result.ok && result.problems).toHaveLength(4);
  });
});

describe('IAM forms of an issuer', () => {
  it('builds the provider ARN per partition and the condition keys', () => {
    const issuer = normalizeIssuer(EKS);
    if (!issuer.ok) throw new Error('unexpected');
    expect(
      oidcProviderArnForIssuer(issuer.value, 'aws-cn', '123456789012'),
    ).toBe(`arn:aws-cn:iam::123456789012:oidc-provider/${HOST_PATH}`);
    expect(oidcConditionKey(issuer.value.hostPath, 'sub')).toBe(
      `${HOST_PATH}:sub`,
    );
    expect(oidcConditionKey(issuer.value.hostPath, 'aud')).toBe(
      `${HOST_PATH}:aud`,
    );
  });
});

describe('describeIssuerDifferences explains F9 mismatches', () => {
  it.each([
    [EKS, EKS, []],
    [EKS, `${EKS}/`, ['one has a trailing slash']],
    [EKS, HOST_PATH, ['scheme differs (https vs none)']],
    [EKS, EKS.replace('.com/', '.com:443/'), ['port differs (none vs 443)']],
    [EKS, EKS.replace('oidc.eks', 'OIDC.eks'), ['host differs in letter case']],
    [
      EKS,
      EKS.replace('eu-west-1', 'us-east-1'),
      [expect.stringMatching(/^they are different issuers/)],
    ],
    [EKS, ` ${EKS}`, ['white space differs']],
    ['http://a b', 'ftp://c', ['scheme differs (http vs ftp)']],
    ['not a url', 'also not', ['they are different strings']],
  ])('%s vs %s', (a, b, expected) => {
    expect(describeIssuerDifferences(a, b)).toEqual(expected);
  });

  it('treats spellings of one issuer as the same provider', () => {
    expect(isSameIssuer(EKS, `${HOST_PATH}/`)).toBe(true);
    expect(isSameIssuer(EKS, 'http://x')).toBe(false);
  });
});
