import { STS_AUDIENCE } from '../constants';
import { Problem, quote, resultOf, ValidationResult } from '../problems';

/**
 * IAM OIDC provider client ids (the accepted audiences) are 1–255 characters.
 *
 * @public
 */
export const AUDIENCE_MAX_LENGTH = 255;

/**
 * Problems with a token audience (an entry of the provider's `ClientIDList` and the value
 * of the `<issuer>:aud` condition).
 *
 * @remarks
 * White space is rejected outright: a stray space makes the token's `aud` differ from the
 * provider's client id and STS answers "Incorrect token audience" (F6).
 *
 * @public
 */
export function audienceProblems(value: string, field = 'audience'): Problem[] {
  const problems: Problem[] = [];
  if (value.length === 0 || value.length > AUDIENCE_MAX_LENGTH) {
    problems.push({
      field,
      message: `The audience ${quote(value)} is ${
        value.length
      } characters long: IAM accepts 1–${AUDIENCE_MAX_LENGTH} (for example ${quote(
        STS_AUDIENCE,
      )}).`,
    });
  }
  if (/\s/.test(value)) {
    problems.push({
      field,
      message: `The audience ${quote(
        value,
      )} contains white space: the token's "aud" must equal the provider's client id exactly (for example ${quote(
        STS_AUDIENCE,
      )}).`,
    });
  }
  if (/[*?]/.test(value)) {
    problems.push({
      field,
      message: `The audience ${quote(
        value,
      )} contains "*" or "?": an audience is matched exactly, never as a pattern (for example ${quote(
        STS_AUDIENCE,
      )}).`,
    });
  }
  return problems;
}

/**
 * Validates a token audience.
 *
 * @public
 */
export function validateAudience(value: string): ValidationResult {
  return resultOf(audienceProblems(value));
}
