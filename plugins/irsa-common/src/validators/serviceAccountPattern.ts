import { Problem, quote } from '../problems';
import { matchesWildcard } from '../trustPolicy/stringMatch';
import {
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  serviceAccountNameProblems,
} from './kubernetesNames';

const PATTERN_CHARS = /^[a-z0-9.\-*?]+$/;

/**
 * Problems with a ServiceAccount name pattern for a role's trust
 * (`system:serviceaccount:<namespace>:<pattern>` under `StringLike`): `*` and `?` as in
 * IAM, inside one namespace (no `:` or `/`), at least one wildcard, and a literal first
 * character, so neither `*` nor `*-worker` can trust every ServiceAccount of the namespace.
 * With the wildcards read as letters it must be a valid ServiceAccount name.
 *
 * @public
 */
export function serviceAccountPatternProblems(
  pattern: string,
  field = 'serviceAccountPattern',
): Problem[] {
  const example = '(for example "worker-*" or "batch-job-?")';
  if (typeof pattern !== 'string' || pattern === '') {
    return [
      { field, message: `Give a ServiceAccount name pattern ${example}.` },
    ];
  }
  if (pattern.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    return [
      {
        field,
        message: `The pattern ${quote(pattern)} is ${
          pattern.length
        } characters long: ServiceAccount names are at most ${DNS1123_SUBDOMAIN_MAX_LENGTH} ${example}.`,
      },
    ];
  }
  if (!PATTERN_CHARS.test(pattern)) {
    return [
      {
        field,
        message: `The pattern ${quote(
          pattern,
        )} may use only lower-case letters, digits, "-", "." and the wildcards "*" and "?": it matches names within the request's namespace, so ":" and "/" (another namespace) are not allowed ${example}.`,
      },
    ];
  }
  if (!/^[a-z0-9]/.test(pattern)) {
    return [
      {
        field,
        message: `The pattern ${quote(
          pattern,
        )} starts with a wildcard: a pattern must start with at least one literal letter or digit, so that it cannot trust every ServiceAccount of the namespace, including those other teams create there ${example}.`,
      },
    ];
  }
  if (!/[*?]/.test(pattern)) {
    return [
      {
        field,
        message: `The pattern ${quote(
          pattern,
        )} has no wildcard: give it as serviceAccount instead.`,
      },
    ];
  }
  // `worker-.*` or `a..*` can never match a valid name: say so instead of trusting nothing.
  if (serviceAccountNameProblems(pattern.replace(/[*?]/g, 'a')).length > 0) {
    return [
      {
        field,
        message: `The pattern ${quote(
          pattern,
        )} cannot match a valid ServiceAccount name (lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit) ${example}.`,
      },
    ];
  }
  return [];
}

/**
 * True when a ServiceAccount name matches a pattern as IAM's `StringLike` would.
 *
 * @public
 */
export function serviceAccountMatchesPattern(
  name: string,
  pattern: string,
): boolean {
  return matchesWildcard(pattern, name);
}
