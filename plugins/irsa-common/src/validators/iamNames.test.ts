import {
  validatePolicyName,
  validateRoleName,
  validateRoleNameWithPrefix,
  validateRolePath,
} from './iamNames';

const messages = (r: { ok: boolean; problems?: { message: string }[] }) =>
  (r.ok ? [] : r.problems!).map(p => p.message);

describe('role names', () => {
  it.each(['a', 'payments-api', 'A+b=c,d.e@f_g-h', 'x'.repeat(64)])(
    'accepts %j',
    name => {
      expect(validateRoleName(name)).toEqual({ ok: true });
    },
  );
  it.each([
    ['', /empty: it must be 1–64 characters/],
    ['x'.repeat(65), /65 characters long: IAM allows at most 64/],
    ['payments api', /contains " "/],
    ['payments/api', /contains "\/"/],
    ['päyments', /contains "ä"/],
  ])('rejects %j', (name, message) => {
    expect(messages(validateRoleName(name)).join('\n')).toMatch(message);
  });
  it('reports length and characters together, with an example', () => {
    const problems = messages(validateRoleName(`${'x'.repeat(70)}!*`));
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(
      /contains "!", "\*".*for example "payments-api-irsa"/,
    );
  });
});

describe('role paths', () => {
  it.each(['/', '/irsa/', '/irsa/team-a/', '/a~!/'])('accepts %j', path => {
    expect(validateRolePath(path)).toEqual({ ok: true });
  });
  it.each([
    ['', /must be "\/" or start and end with "\/"/],
    ['irsa/', /start and end/],
    ['/irsa', /start and end/],
    ['/ir sa/', /no spaces/],
    [`/${'a'.repeat(511)}/`, /513 characters long: IAM allows at most 512/],
  ])('rejects %j', (path, message) => {
    expect(messages(validateRolePath(path)).join('\n')).toMatch(message);
  });
});

describe('role name prefix and name together', () => {
  it('accepts a joined name of 64 characters', () => {
    expect(validateRoleNameWithPrefix('irsa-', 'x'.repeat(59))).toEqual({
      ok: true,
    });
  });
  it('rejects a joined name over 64 and says how much room the prefix leaves', () => {
    const problems = messages(
      validateRoleNameWithPrefix('irsa-prod-eu-west-1-', 'x'.repeat(50)),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /is 70 characters long: IAM allows at most 64, so with this prefix the name may have at most 44 characters/,
      ),
    ]);
  });
  it('reports bad characters in either part and the length at once', () => {
    const problems = messages(
      validateRoleNameWithPrefix('irsa/', `bad name${'x'.repeat(60)}`),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/prefix "irsa\/" contains "\/"/);
    expect(problems[1]).toMatch(/contains " "/);
  });
  it('reports an empty name', () => {
    expect(messages(validateRoleNameWithPrefix('irsa-', ''))).toEqual([
      expect.stringMatching(/empty/),
    ]);
  });
});

describe('policy names', () => {
  it('accepts up to 128 allowed characters', () => {
    expect(validatePolicyName('s3-read')).toEqual({ ok: true });
    expect(validatePolicyName('p'.repeat(128))).toEqual({ ok: true });
  });
  it('rejects longer or odd names', () => {
    expect(messages(validatePolicyName('p'.repeat(129)))[0]).toMatch(
      /at most 128/,
    );
    expect(messages(validatePolicyName('s3 read'))[0]).toMatch(
      /policy name "s3 read" contains " "/,
    );
  });
});
