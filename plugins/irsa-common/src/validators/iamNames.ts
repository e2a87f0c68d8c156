import { Problem, quote, resultOf, ValidationResult } from '../problems';

/**
 * IAM role names: 1–64 characters (IAM and STS character quotas).
 *
 * @public
 */
export const ROLE_NAME_MAX_LENGTH = 64;
/**
 * IAM paths: 1–512 characters.
 *
 * @public
 */
export const ROLE_PATH_MAX_LENGTH = 512;
/**
 * IAM policy names (managed and inline): 1–128 characters.
 *
 * @public
 */
export const POLICY_NAME_MAX_LENGTH = 128;

// Letters, digits and + = , . @ _ - : the set the IAM API's `[\w+=,.@-]+` pattern allows.
const NAME_CHAR = /[A-Za-z0-9+=,.@_-]/;
// CreateRole's path pattern: "/" alone, or "/" + printable ASCII (0x21–0x7F) + "/".
const PATH_PATTERN = /^(\/|\/[\u0021-\u007F]+\/)$/;

function invalidNameChars(value: string): string[] {
  const bad = new Set<string>();
  for (const ch of value) {
    if (!NAME_CHAR.test(ch)) {
      bad.add(ch);
    }
  }
  return [...bad];
}

function nameProblems(
  value: string,
  field: string,
  what: string,
  maxLength: number,
  example: string,
  checkLength = true,
): Problem[] {
  const problems: Problem[] = [];
  if (value.length === 0) {
    problems.push({
      field,
      message: `The ${what} is empty: it must be 1–${maxLength} characters (for example ${quote(
        example,
      )}).`,
    });
    return problems;
  }
  if (checkLength && value.length > maxLength) {
    problems.push({
      field,
      message: `The ${what} ${quote(value)} is ${
        value.length
      } characters long: IAM allows at most ${maxLength} (for example ${quote(
        example,
      )}).`,
    });
  }
  const bad = invalidNameChars(value);
  if (bad.length > 0) {
    problems.push({
      field,
      message: `The ${what} ${quote(value)} contains ${bad
        .map(quote)
        .join(
          ', ',
        )}: IAM allows only letters, digits and + = , . @ _ - (for example ${quote(
        example,
      )}).`,
    });
  }
  return problems;
}

/**
 * Problems with an IAM role name: 1–64 characters from letters, digits and `+=,.@_-`.
 *
 * @remarks
 * IAM compares role names case-insensitively for uniqueness, which this function cannot
 * check (it needs the account's roles).
 *
 * @public
 */
export function roleNameProblems(value: string, field = 'roleName'): Problem[] {
  return nameProblems(
    value,
    field,
    'role name',
    ROLE_NAME_MAX_LENGTH,
    'payments-api-irsa',
  );
}

/**
 * Validates an IAM role name.
 *
 * @public
 */
export function validateRoleName(value: string): ValidationResult {
  return resultOf(roleNameProblems(value));
}

/**
 * Problems with an IAM path (of a role or a policy): `/` alone, or 1–512 characters that
 * start and end with `/` with printable ASCII between.
 *
 * @public
 */
export function iamPathProblems(
  value: string,
  field = 'path',
  what = 'path',
): Problem[] {
  const problems: Problem[] = [];
  if (value.length > ROLE_PATH_MAX_LENGTH) {
    problems.push({
      field,
      message: `The ${what} is ${value.length} characters long: IAM allows at most ${ROLE_PATH_MAX_LENGTH} (for example "/irsa/").`,
    });
  }
  if (!PATH_PATTERN.test(value)) {
    problems.push({
      field,
      message: `The ${what} ${quote(
        value,
      )} is not valid: it must be "/" or start and end with "/" with printable ASCII and no spaces between (for example "/irsa/team-a/").`,
    });
  }
  return problems;
}

/**
 * Problems with an IAM role path; see {@link iamPathProblems}.
 *
 * @public
 */
export function rolePathProblems(value: string, field = 'rolePath'): Problem[] {
  return iamPathProblems(value, field, 'role path');
}

/**
 * Validates an IAM role path.
 *
 * @public
 */
export function validateRolePath(value: string): ValidationResult {
  return resultOf(rolePathProblems(value));
}

/**
 * Problems with a role name built from a prefix and a name, checked together.
 *
 * @remarks
 * Each part can be valid while the joined name is too long; this is the check eksctl and
 * Terraform users hit late (F22), so it runs before any AWS call.
 *
 * @public
 */
export function roleNameWithPrefixProblems(
  prefix: string,
  name: string,
): Problem[] {
  const problems: Problem[] = [];
  const badPrefix = invalidNameChars(prefix);
  if (badPrefix.length > 0) {
    problems.push({
      field: 'roleNamePrefix',
      message: `The role name prefix ${quote(prefix)} contains ${badPrefix
        .map(quote)
        .join(
          ', ',
        )}: IAM allows only letters, digits and + = , . @ _ - (for example "irsa-").`,
    });
  }
  const full = `${prefix}${name}`;
  // Length is judged on the joined name below; character problems stay with their part.
  problems.push(
    ...nameProblems(
      name,
      'roleName',
      'role name',
      ROLE_NAME_MAX_LENGTH,
      'payments-api',
      false,
    ),
  );
  if (full.length > ROLE_NAME_MAX_LENGTH) {
    const room = Math.max(0, ROLE_NAME_MAX_LENGTH - prefix.length);
    problems.push({
      field: 'roleName',
      code: 'F22',
      message: `The role name ${quote(full)} (prefix ${quote(
        prefix,
      )} + name ${quote(name)}) is ${
        full.length
      } characters long: IAM allows at most ${ROLE_NAME_MAX_LENGTH}, so with this prefix the name may have at most ${room} characters (for example ${quote(
        `${prefix}payments-api`.slice(0, ROLE_NAME_MAX_LENGTH),
      )}).`,
    });
  }
  return problems;
}

/**
 * Validates a role name prefix and name together.
 *
 * @public
 */
export function validateRoleNameWithPrefix(
  prefix: string,
  name: string,
): ValidationResult {
  return resultOf(roleNameWithPrefixProblems(prefix, name));
}

/**
 * Problems with an IAM policy name (inline or managed): 1–128 characters from letters,
 * digits and `+=,.@_-`.
 *
 * @public
 */
export function policyNameProblems(
  value: string,
  field = 'policyName',
): Problem[] {
  return nameProblems(
    value,
    field,
    'policy name',
    POLICY_NAME_MAX_LENGTH,
    'payments-api-s3-read',
  );
}

/**
 * Validates an IAM policy name.
 *
 * @public
 */
export function validatePolicyName(value: string): ValidationResult {
  return resultOf(policyNameProblems(value));
}
