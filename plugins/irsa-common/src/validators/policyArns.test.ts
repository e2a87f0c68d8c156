import { validatePolicyArns } from './policyArns';

describe('managed policy ARNs', () => {
  it('accepts AWS and customer managed policies', () => {
    expect(
      validatePolicyArns([
        'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
        'arn:aws:iam::123456789012:policy/team/sqs-send',
      ]),
    ).toEqual({ ok: true });
    expect(validatePolicyArns([])).toEqual({ ok: true });
  });

  it('reports every bad, duplicate and excess ARN at once', () => {
    const arns = [
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      'arn:aws:iam::aws:role/x',
    ];
    const result = validatePolicyArns(arns, { maxPolicies: 2 });
    expect(!result.ok && result.problems.map(p => p.field)).toEqual([
      'policyArns[1]',
      'policyArns[2]',
      'policyArns',
    ]);
    expect(!result.ok && result.problems[2].message).toMatch(
      /3 managed policies were requested: IAM attaches at most 2/,
    );
  });

  it('defaults to the per-role quota of 10', () => {
    const arns = Array.from(
      { length: 11 },
      (_, i) => `arn:aws:iam::123456789012:policy/p${i}`,
    );
    expect(validatePolicyArns(arns).ok).toBe(false);
    expect(validatePolicyArns(arns.slice(1)).ok).toBe(true);
  });
});
