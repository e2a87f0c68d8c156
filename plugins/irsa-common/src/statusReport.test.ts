import {
  createCheckResult,
  overallFromBindings,
  overallFromChecks,
  CheckStatus,
} from './statusReport';

const checks = (...statuses: CheckStatus[]) =>
  statuses.map(status => ({ status }));

describe('overallFromChecks', () => {
  it.each([
    [[], 'unknown'],
    [['pass'], 'trusted'],
    [['pass', 'pass'], 'trusted'],
    [['pass', 'warn'], 'warning'],
    [['warn', 'unknown'], 'unknown'],
    [['pass', 'unknown'], 'unknown'],
    [['unknown', 'fail'], 'broken'],
    [['warn', 'fail', 'pass'], 'broken'],
    [['pass', 'notApplicable'], 'trusted'],
    [['warn', 'notApplicable'], 'warning'],
    [['notApplicable'], 'unknown'],
  ] as Array<[CheckStatus[], string]>)('%j → %s', (statuses, expected) => {
    expect(overallFromChecks(checks(...statuses))).toBe(expected);
  });
});

describe('overallFromBindings', () => {
  it('uses the same precedence across bindings', () => {
    expect(overallFromBindings([])).toBe('unknown');
    expect(
      overallFromBindings([{ overall: 'trusted' }, { overall: 'warning' }]),
    ).toBe('warning');
    expect(
      overallFromBindings([{ overall: 'unknown' }, { overall: 'warning' }]),
    ).toBe('unknown');
    expect(
      overallFromBindings([
        { overall: 'trusted' },
        { overall: 'broken' },
        { overall: 'unknown' },
      ]),
    ).toBe('broken');
    expect(overallFromBindings([{ overall: 'trusted' }])).toBe('trusted');
  });
});

describe('createCheckResult', () => {
  it('takes title, fix and link from the catalogue', () => {
    expect(
      createCheckResult(
        'F3',
        'fail',
        'Statement[0] pins sub to another ServiceAccount.',
      ),
    ).toEqual({
      code: 'F3',
      status: 'fail',
      title: 'Trust policy allows this ServiceAccount',
      detail: 'Statement[0] pins sub to another ServiceAccount.',
      fix: expect.stringMatching(/create-role action/),
      docsUrl: 'docs/troubleshooting.md#f3',
    });
  });
});
