import {
  serviceAccountMatchesPattern,
  serviceAccountPatternProblems,
} from './serviceAccountPattern';

describe('serviceAccountPatternProblems', () => {
  it('accepts a name with wildcards that starts with a literal character', () => {
    for (const p of ['worker-*', 'w*', 'batch-job-?', 'api.v?-*']) {
      expect(serviceAccountPatternProblems(p)).toEqual([]);
    }
  });

  it.each([
    [
      '*',
      'starts with a wildcard: a pattern must start with at least one literal letter or digit',
    ],
    ['*-worker', 'starts with a wildcard'],
    ['?orker', 'starts with a wildcard'],
    ['payments:*', '":" and "/" (another namespace) are not allowed'],
    ['other/*', '":" and "/" (another namespace) are not allowed'],
    ['Worker-*', 'may use only lower-case letters'],
    ['worker', 'has no wildcard: give it as serviceAccount instead'],
    ['worker-.*', 'cannot match a valid ServiceAccount name'],
    ['', 'Give a ServiceAccount name pattern'],
    [`a${'b'.repeat(253)}*`, 'ServiceAccount names are at most 253'],
  ])('refuses %j, saying why', (pattern, why) => {
    expect(serviceAccountPatternProblems(pattern)).toEqual([
      { field: 'serviceAccountPattern', message: expect.stringContaining(why) },
    ]);
  });

  it('matches names as StringLike does', () => {
    expect(serviceAccountMatchesPattern('worker-a', 'worker-*')).toBe(true);
    expect(serviceAccountMatchesPattern('worker', 'worker-*')).toBe(false);
    expect(serviceAccountMatchesPattern('job-7', 'job-?')).toBe(true);
  });
});
