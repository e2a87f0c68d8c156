import {
  roleNameWithPrefixProblems,
  validateTrustPolicySize,
} from '@backstage-irsa/plugin-irsa-common';
import { throwInputProblems } from './inputProblems';

describe('throwInputProblems', () => {
  it('keeps every message, led by its field, and the card codes of F18 and F22 refusals', () => {
    const tooBig = validateTrustPolicySize('x'.repeat(3000));
    const problems = [
      ...(tooBig.ok ? [] : tooBig.problems),
      ...roleNameWithPrefixProblems('irsa-', 'n'.repeat(64)),
      { field: 'namespace', message: 'Plain problem.' },
    ];
    expect(() => throwInputProblems('role request', problems)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /^Invalid role request: trustPolicy: The trust policy is 3000 .*\[F18: docs\/troubleshooting\.md#f18\] roleName: .*\[F22: docs\/troubleshooting\.md#f22\] namespace: Plain problem\.$/,
        ),
      }),
    );
  });

  it('lists at most ten problems, then says how many more', () => {
    const problems = Array.from({ length: 500 }, (_, i) => ({
      field: 'policyArns',
      message: `Problem ${i}.`,
    }));
    expect(() => throwInputProblems('role request', problems)).toThrow(
      'Invalid role request: policyArns: Problem 0. policyArns: Problem 1. policyArns: Problem 2. ' +
        'policyArns: Problem 3. policyArns: Problem 4. policyArns: Problem 5. policyArns: Problem 6. ' +
        'policyArns: Problem 7. policyArns: Problem 8. policyArns: Problem 9. (490 more problems not shown.)',
    );
  });
});
