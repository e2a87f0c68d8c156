import { Problem, resultOf, ValidationResult } from '../problems';
import { parsePolicyDocument } from '../trustPolicy/parsePolicyDocument';
import {
  DEFAULT_ROLE_INLINE_POLICIES_SIZE_LIMIT,
  iamPolicySize,
  trustPolicySizeProblem,
} from './policySize';
import { policyNameProblems } from './iamNames';
import { DEFAULT_TRUST_POLICY_SIZE_LIMIT } from '../constants';

/**
 * Validates one inline permissions policy: IAM's policy grammar, its character set, and
 * its size as IAM counts it against the role's aggregate inline quota.
 *
 * @public
 */
export function validateInlinePolicyDocument(
  document: string | object,
  options: { sizeLimit?: number } = {},
): ValidationResult {
  return validateInlinePolicies([{ name: 'inline-policy', document }], options);
}

/**
 * Validates the inline policies of one role together: each name and document, and the sum
 * of their sizes against the role's aggregate quota (10,240 characters as IAM counts them),
 * because IAM checks the aggregate, not each policy.
 *
 * @public
 */
export function validateInlinePolicies(
  policies: ReadonlyArray<{ name: string; document: string | object }>,
  options: { sizeLimit?: number } = {},
): ValidationResult {
  const limit = options.sizeLimit ?? DEFAULT_ROLE_INLINE_POLICIES_SIZE_LIMIT;
  const problems: Problem[] = [];
  let total = 0;
  const names = new Set<string>();
  policies.forEach((policy, i) => {
    const prefix = policies.length === 1 ? '' : `inlinePolicies[${i}].`;
    problems.push(...policyNameProblems(policy.name, `${prefix}name`));
    if (names.has(policy.name)) {
      problems.push({
        field: `${prefix}name`,
        message: `The inline policy name "${policy.name}" is used twice: names are unique within a role (for example "s3-read" and "sqs-send").`,
      });
    }
    names.add(policy.name);
    const parsed = parsePolicyDocument(policy.document, 'identity');
    if (!parsed.ok) {
      problems.push(
        ...parsed.problems.map(p => ({ ...p, field: `${prefix}${p.field}` })),
      );
    }
    total += iamPolicySize(policy.document);
  });
  if (total > limit) {
    problems.push({
      field: 'inlinePolicies',
      message: `The inline policies total ${total} characters as IAM counts them (white space excluded): a role's inline policies may total at most ${limit}. Move large statements into a customer managed policy (up to 6,144 characters each) and attach it by ARN.`,
    });
  }
  return resultOf(problems);
}

/**
 * Validates a role trust policy: IAM's trust-policy grammar and the trust policy quota.
 *
 * @public
 */
export function validateTrustPolicyDocument(
  document: string | object,
  options: { sizeLimit?: number } = {},
): ValidationResult {
  const limit = options.sizeLimit ?? DEFAULT_TRUST_POLICY_SIZE_LIMIT;
  const problems: Problem[] = [];
  const parsed = parsePolicyDocument(document, 'trust');
  if (!parsed.ok) {
    problems.push(...parsed.problems);
  }
  const size = iamPolicySize(document);
  if (size > limit) {
    problems.push(trustPolicySizeProblem(size, limit));
  }
  return resultOf(problems);
}
