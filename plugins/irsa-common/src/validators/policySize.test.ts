import { iamPolicySize, validateTrustPolicySize } from './policySize';

describe('policy size as IAM counts it', () => {
  it('does not count spaces, tabs and line breaks, anywhere', () => {
    expect(iamPolicySize('{"a": "b c"}')).toBe(10);
    expect(iamPolicySize('{\n\t"a" :\r\n "b"\n}')).toBe(9);
    expect(iamPolicySize('{"a":"b"}')).toBe(9);
  });

  it('counts a no-break space, which is not white space to IAM', () => {
    expect(iamPolicySize('{"a":"\u00a0"}')).toBe(iamPolicySize('{"a":"x"}'));
  });

  it('measures an object as its compact JSON', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' }] };
    expect(iamPolicySize(doc)).toBe(JSON.stringify(doc).length);
    expect(iamPolicySize(JSON.stringify(doc, null, 4))).toBe(
      JSON.stringify(doc).length,
    );
  });

  it('checks the trust policy quota, default 2,048', () => {
    const fits = `{"x":"${'a'.repeat(2048 - 8)}"}`;
    expect(iamPolicySize(fits)).toBe(2048);
    expect(validateTrustPolicySize(fits)).toEqual({ ok: true });
    const over = `{"x":"${'a'.repeat(2048 - 7)}"}`;
    const result = validateTrustPolicySize(over);
    expect(!result.ok && result.problems[0].message).toMatch(
      /2049 characters as IAM counts them.*quota is 2048/,
    );
    expect(validateTrustPolicySize(over, { limit: 4096 })).toEqual({
      ok: true,
    });
  });
});
