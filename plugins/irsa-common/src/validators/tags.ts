import { Problem, quote, resultOf, ValidationResult } from '../problems';

/**
 * Tags per IAM role (not adjustable).
 *
 * @public
 */
export const MAX_TAGS_PER_ROLE = 50;
/**
 * IAM tag keys: 1–128 characters.
 *
 * @public
 */
export const TAG_KEY_MAX_LENGTH = 128;
/**
 * IAM tag values: 0–256 characters.
 *
 * @public
 */
export const TAG_VALUE_MAX_LENGTH = 256;

// The IAM `Tag` API pattern: Unicode letters, separators (spaces), numbers and _ . : / = + - @.
const TAG_CHAR = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;

/**
 * A tag as IAM's `Tag` structure has it.
 *
 * @public
 */
export interface IamTag {
  Key: string;
  Value: string;
}

function badChars(value: string): string[] {
  const bad = new Set<string>();
  for (const ch of value) {
    if (!TAG_CHAR.test(ch)) {
      bad.add(ch);
    }
  }
  return [...bad];
}

/**
 * Validates tags for an IAM role: at most 50; keys 1–128 and values 0–256 characters of
 * letters, digits, spaces and `_ . : / = + - @`; no `aws:` prefix; no two keys that differ
 * only in case.
 *
 * @remarks
 * IAM treats role tag keys case-insensitively (adding `department` replaces `Department`),
 * so a case-only duplicate would silently drop one of the tags. Lengths are counted in
 * Unicode characters, as IAM counts them, not UTF-16 code units.
 *
 * @public
 */
export function validateRoleTags(tags: readonly IamTag[]): ValidationResult {
  const problems: Problem[] = [];
  if (tags.length > MAX_TAGS_PER_ROLE) {
    problems.push({
      field: 'tags',
      message: `${tags.length} tags were given: IAM allows at most ${MAX_TAGS_PER_ROLE} on a role; drop or merge some (for example combine "team" and "squad" into "team=payments:core").`,
    });
  }
  const seen = new Map<string, string>();
  tags.forEach((tag, i) => {
    const field = `tags[${i}]`;
    const keyLength = [...tag.Key].length;
    const valueLength = [...tag.Value].length;
    if (keyLength < 1 || keyLength > TAG_KEY_MAX_LENGTH) {
      problems.push({
        field,
        message: `The tag key ${quote(
          tag.Key,
        )} is ${keyLength} characters long: IAM tag keys are 1–${TAG_KEY_MAX_LENGTH} characters (for example "backstage-irsa:entity-ref").`,
      });
    }
    if (valueLength > TAG_VALUE_MAX_LENGTH) {
      problems.push({
        field,
        message: `The value of tag ${quote(
          tag.Key,
        )} is ${valueLength} characters long: IAM tag values are at most ${TAG_VALUE_MAX_LENGTH} characters (for example "component:default/payments-api").`,
      });
    }
    for (const [part, text] of [
      ['key', tag.Key],
      ['value', tag.Value],
    ] as const) {
      const bad = badChars(text);
      if (bad.length > 0) {
        problems.push({
          field,
          message: `The tag ${part} ${quote(text)} contains ${bad
            .map(quote)
            .join(
              ', ',
            )}: IAM tags allow letters, digits, spaces and _ . : / = + - @ only (for example "component:default/payments-api").`,
        });
      }
      if (text.toLocaleLowerCase('en-US').startsWith('aws:')) {
        problems.push({
          field,
          message: `The tag ${part} ${quote(
            text,
          )} starts with "aws:": that prefix is reserved for AWS (for example "backstage-irsa:managed-by").`,
        });
      }
    }
    const folded = tag.Key.toLocaleLowerCase('en-US');
    const earlier = seen.get(folded);
    if (earlier !== undefined) {
      problems.push({
        field,
        message: `The tag key ${quote(tag.Key)} repeats ${quote(
          earlier,
        )}: IAM role tag keys are case-insensitive, so only one would survive; give each key once (for example "team").`,
      });
    } else {
      seen.set(folded, tag.Key);
    }
  });
  return resultOf(problems);
}
