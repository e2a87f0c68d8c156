import { validateAudience } from './audience';

describe('audiences', () => {
  it.each([
    'sts.amazonaws.com',
    'https://kubernetes.default.svc',
    'a'.repeat(255),
  ])('accepts %j', aud => {
    expect(validateAudience(aud)).toEqual({ ok: true });
  });
  it.each([
    ['', /0 characters long: IAM accepts 1–255/],
    ['a'.repeat(256), /256 characters long/],
    ['sts.amazonaws.com ', /white space/],
    ['sts .amazonaws.com', /white space/],
    ['sts.*.com', /matched exactly, never as a pattern/],
  ])('rejects %j', (aud, message) => {
    const result = validateAudience(aud);
    expect(
      !result.ok && result.problems.map(p => p.message).join('\n'),
    ).toMatch(message);
  });
});
