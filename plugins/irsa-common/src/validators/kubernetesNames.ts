import { Problem, quote, resultOf, ValidationResult } from '../problems';

/**
 * DNS-1123 label (namespaces): at most 63 characters.
 *
 * @public
 */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/**
 * DNS-1123 subdomain (ServiceAccount names): at most 253 characters.
 *
 * @public
 */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Problems with a Kubernetes namespace name (a DNS-1123 label).
 *
 * @public
 */
export function namespaceProblems(
  value: string,
  field = 'namespace',
): Problem[] {
  const problems: Problem[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) {
    problems.push({
      field,
      message: `The namespace ${quote(value)} is ${
        value.length
      } characters long: Kubernetes allows at most ${DNS1123_LABEL_MAX_LENGTH} (for example "payments").`,
    });
  }
  if (!LABEL.test(value)) {
    problems.push({
      field,
      message: `The namespace ${quote(
        value,
      )} is not a DNS-1123 label: use lower-case letters, digits and "-", starting and ending with a letter or digit, no dots (for example "payments").`,
    });
  }
  return problems;
}

/**
 * Validates a Kubernetes namespace name.
 *
 * @public
 */
export function validateNamespace(value: string): ValidationResult {
  return resultOf(namespaceProblems(value));
}

/**
 * Problems with a Kubernetes ServiceAccount name (a DNS-1123 subdomain).
 *
 * @public
 */
export function serviceAccountNameProblems(
  value: string,
  field = 'serviceAccount',
): Problem[] {
  const problems: Problem[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    problems.push({
      field,
      message: `The ServiceAccount name ${quote(value)} is ${
        value.length
      } characters long: Kubernetes allows at most ${DNS1123_SUBDOMAIN_MAX_LENGTH} (for example "payments-api").`,
    });
  }
  if (!SUBDOMAIN.test(value)) {
    problems.push({
      field,
      message: `The ServiceAccount name ${quote(
        value,
      )} is not a DNS-1123 subdomain: use lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit (for example "payments-api").`,
    });
  }
  return problems;
}

/**
 * Validates a Kubernetes ServiceAccount name.
 *
 * @public
 */
export function validateServiceAccountName(value: string): ValidationResult {
  return resultOf(serviceAccountNameProblems(value));
}
