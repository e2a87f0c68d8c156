import { DEFAULT_TRUST_POLICY_SIZE_LIMIT } from '../constants';
import { Problem, resultOf, ValidationResult } from '../problems';

/**
 * Default aggregate size of all inline policies of one role, in characters IAM counts.
 *
 * @public
 */
export const DEFAULT_ROLE_INLINE_POLICIES_SIZE_LIMIT = 10240;

/**
 * Size of one customer managed policy, in characters IAM counts.
 *
 * @public
 */
export const MANAGED_POLICY_SIZE_LIMIT = 6144;

/**
 * The size of a policy as IAM counts it against its quotas: characters other than white
 * space. IAM's quota API calls the unit "non-whitespace characters", and policy documents
 * can only hold tab, LF, CR and U+0020–U+00FF, so white space here is space, tab, LF and CR
 * (U+00A0 no-break space counts, as it is not white space to IAM's parser). White space
 * inside strings is not counted either.
 *
 * @remarks
 * An object is measured in its `JSON.stringify` form, which has no white space outside
 * strings — the same count as any pretty-printed spelling of it.
 *
 * @public
 */
export function iamPolicySize(document: string | object): number {
  const text =
    typeof document === 'string' ? document : JSON.stringify(document);
  let size = 0;
  for (const ch of text) {
    if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') {
      size += 1;
    }
  }
  return size;
}

/**
 * Validates a trust policy against the role trust policy quota (default 2,048 characters
 * as IAM counts them; accounts can raise it to 4,096). F18 is this limit being hit while
 * adding clusters.
 *
 * @public
 */
export function validateTrustPolicySize(
  document: string | object,
  options: { limit?: number } = {},
): ValidationResult {
  const limit = options.limit ?? DEFAULT_TRUST_POLICY_SIZE_LIMIT;
  const size = iamPolicySize(document);
  return resultOf(size > limit ? [trustPolicySizeProblem(size, limit)] : []);
}

/**
 * The F18 problem text, shared by the trust policy validators.
 *
 * @internal
 */
export function trustPolicySizeProblem(size: number, limit: number): Problem {
  return {
    field: 'trustPolicy',
    code: 'F18',
    message: `The trust policy is ${size} characters as IAM counts them (white space excluded): the role trust policy quota is ${limit}. Remove statements for clusters no longer used, merge subjects of one cluster into one statement, or raise the "Role trust policy length" quota (up to 4,096); for example one statement per cluster with a list of subjects stays well under 2,048 for four clusters.`,
  };
}
