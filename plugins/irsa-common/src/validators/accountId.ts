import { Problem, quote, resultOf, ValidationResult } from '../problems';

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Problems with an AWS account id (exactly 12 digits, leading zeros kept).
 *
 * @public
 */
export function accountIdProblems(
  value: string,
  field = 'accountId',
): Problem[] {
  if (ACCOUNT_ID.test(value)) {
    return [];
  }
  return [
    {
      field,
      message: `${quote(
        value,
      )} is not an AWS account id: it must be exactly 12 digits, keeping leading zeros (for example "012345678901").`,
    },
  ];
}

/**
 * Validates an AWS account id.
 *
 * @public
 */
export function validateAccountId(value: string): ValidationResult {
  return resultOf(accountIdProblems(value));
}
