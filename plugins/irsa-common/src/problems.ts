import type { FailureCode } from './failureCatalogue';

/**
 * One thing wrong with an input, phrased for the developer who typed it.
 *
 * @remarks
 * `message` always says what is wrong, the rule it breaks and a valid example, so a
 * caller can show it unchanged (the node package wraps these in `InputError`).
 *
 * @public
 */
export interface Problem {
  /** Which input the problem is about, e.g. `roleName` or `Statement[1].Condition`. */
  field: string;
  /** What is wrong, the rule, and an example of a valid value. */
  message: string;
  /**
   * The failure catalogue's code when the problem is one the card reports too (F18 trust
   * size, F22 name limits), so an action's refusal and the card point to the same section.
   */
  code?: FailureCode;
}

/**
 * Outcome of a validator: every problem at once, never only the first.
 *
 * @public
 */
export type ValidationResult =
  | { ok: true }
  | { ok: false; problems: Problem[] };

/**
 * Outcome of a parser: the parsed value, or every problem found.
 *
 * @public
 */
export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; problems: Problem[] };

/**
 * Builds a ValidationResult from a list that may be empty.
 *
 * @internal
 */
export function resultOf(problems: Problem[]): ValidationResult {
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/**
 * The problems of a result (none when ok), so callers can merge several results.
 *
 * @public
 */
export function problemsOf(
  result: ValidationResult | ParseResult<unknown>,
): Problem[] {
  return result.ok ? [] : result.problems;
}

/**
 * Quotes a user value for a message, keeping invisible characters visible.
 *
 * @internal
 */
export function quote(value: string): string {
  return JSON.stringify(value);
}
