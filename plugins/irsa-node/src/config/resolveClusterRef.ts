import type { Config } from '@backstage/config';
import type { KubernetesConnection } from './types';

/**
 * Reuses a cluster of `kubernetes.clusterLocatorMethods` (type `config`) so platform
 * teams configure each cluster's URL, CA and token once. Only server-side
 * `serviceAccount` auth can be reused: the IRSA backend acts without a user's token.
 */
export function resolveClusterRef(
  root: Config,
  name: string,
  key: string,
  problems: { add(key: string, message: string): void },
): KubernetesConnection | undefined {
  const methods =
    root.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const clusters = methods
    .filter(m => m.getOptionalString('type') === 'config')
    .flatMap(m => m.getOptionalConfigArray('clusters') ?? []);
  const match = clusters.find(c => c.getOptionalString('name') === name);
  if (!match) {
    const known = clusters.map(c => c.getOptionalString('name')).join(', ');
    problems.add(
      key,
      `no cluster "${name}" in kubernetes.clusterLocatorMethods (type config)${
        known ? `; known: ${known}` : ''
      }`,
    );
    return undefined;
  }
  const authProvider = match.getOptionalString('authProvider');
  if (authProvider !== 'serviceAccount') {
    problems.add(
      key,
      `cluster "${name}" uses authProvider "${authProvider}"; only "serviceAccount" can be reused`,
    );
    return undefined;
  }
  const url = match.getOptionalString('url');
  if (!url) {
    problems.add(key, `cluster "${name}" has no url`);
    return undefined;
  }
  return {
    url,
    caData: match.getOptionalString('caData'),
    caFile: match.getOptionalString('caFile'),
    serviceAccountToken: match.getOptionalString('serviceAccountToken'),
    dangerouslySkipTLSVerify:
      match.getOptionalBoolean('skipTLSVerify') ?? false,
    source: `kubernetes:${name}`,
  };
}
