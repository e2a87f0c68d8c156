import {
  roleNameWithPrefixProblems,
  validateTrustPolicySize,
} from '@backstage-irsa/plugin-irsa-common';
import { throwInputProblems } from './inputProblems';

describe('throwInputProblems', () => {
  it('keeps every message and the card codes of F18 and F22 refusals', () => {
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
          /^Invalid role request: The trust policy is 3000 .*\[F18: docs\/troubleshooting\.md#f18\] .*\[F22: docs\/troubleshooting\.md#f22\] Plain problem\.$/,
        ),
      }),
    );
  });
});
