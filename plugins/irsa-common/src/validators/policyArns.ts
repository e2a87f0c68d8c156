import { parsePolicyArn } from '../arn';
import { Problem, quote, resultOf, ValidationResult } from '../problems';

/**
 * IAM attaches at most 10 managed policies to a role by default (20 after a quota
 * increase); the default is what an unchanged account enforces.
 *
 * @public
 */
export const DEFAULT_MANAGED_POLICIES_PER_ROLE = 10;

/**
 * Validates the managed policy ARNs to attach to a role: each must parse, none may repeat,
 * and there may be no more than the account's per-role quota.
 *
 * @public
 */
export function validatePolicyArns(
  arns: readonly string[],
  options: { maxPolicies?: number } = {},
): ValidationResult {
  const max = options.maxPolicies ?? DEFAULT_MANAGED_POLICIES_PER_ROLE;
  const problems: Problem[] = [];
  const seen = new Set<string>();
  arns.forEach((arn, i) => {
    const field = `policyArns[${i}]`;
    const parsed = parsePolicyArn(arn, field);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
    }
    if (seen.has(arn)) {
      problems.push({
        field,
        message: `The policy ARN ${quote(
          arn,
        )} is listed more than once: list each policy once (for example ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]).`,
      });
    }
    seen.add(arn);
  });
  if (arns.length > max) {
    problems.push({
      field: 'policyArns',
      message: `${arns.length} managed policies were requested: IAM attaches at most ${max} to a role in this account; combine permissions into fewer policies (for example one customer managed policy per service).`,
    });
  }
  return resultOf(problems);
}
