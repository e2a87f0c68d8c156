import { sandboxEnv } from './sandboxEnv';

/**
 * Secrets found in `text`: the sandbox's Kubernetes tokens and AWS secret key, the extra
 * `secrets` given (a user's Backstage token), any JWT, any temporary AWS access key id, and
 * any session token or secret key written out as a field. Empty when there are none.
 *
 * @public
 */
export function findSecrets(text: string, secrets: string[] = []): string[] {
  const env = sandboxEnv();
  const found: string[] = [];
  for (const secret of [
    env.k8sToken,
    env.k8sAdminToken,
    env.awsSecretAccessKey,
    ...secrets,
  ].filter(Boolean)) {
    if (text.includes(secret))
      found.push(`a known secret (${secret.slice(0, 4)}…)`);
  }
  for (const [what, pattern] of [
    ['a JWT', /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/],
    ['a temporary access key id', /ASIA[A-Z0-9]{16}/],
    [
      'a session token or secret key',
      /"?(SessionToken|SecretAccessKey)"?\s*[:=]/,
    ],
  ] as const) {
    if (pattern.test(text)) found.push(what);
  }
  return found;
}
