const PREFIX = 'system:serviceaccount:';

/**
 * The `sub` claim Kubernetes puts in a ServiceAccount token:
 * `system:serviceaccount:<namespace>:<name>`.
 *
 * @public
 */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `${PREFIX}${namespace}:${name}`;
}

/**
 * Splits a ServiceAccount `sub` claim (or a `StringLike` pattern for one) into namespace
 * and name, or returns `undefined` when it does not have that shape.
 *
 * @public
 */
export function parseServiceAccountSubject(
  subject: string,
): { namespace: string; name: string } | undefined {
  if (!subject.startsWith(PREFIX)) {
    return undefined;
  }
  const rest = subject.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) {
    return undefined;
  }
  return { namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}
