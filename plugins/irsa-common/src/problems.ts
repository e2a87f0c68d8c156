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
 * The most of a user value a message repeats; the rest is counted, not echoed.
 *
 * @public
 */
export const QUOTE_MAX_CHARACTERS = 80;

/**
 * Quotes a user value for a message, keeping invisible characters visible. A value longer
 * than {@link QUOTE_MAX_CHARACTERS} is cut and its length said, so a 100 kB name makes a
 * short message, not a 100 kB one.
 *
 * @public
 */
export function quote(value: string): string {
  // Callers pass what a user sent, which is not always the string its type says.
  if (typeof value !== 'string')
    return String(JSON.stringify(value)).slice(0, 80);
  const chars = [...value];
  if (chars.length <= QUOTE_MAX_CHARACTERS) return JSON.stringify(value);
  const head = chars.slice(0, QUOTE_MAX_CHARACTERS - 20).join('');
  return `${JSON.stringify(head).slice(0, -1)}…" (${chars.length} characters)`;
}
