import type { Config } from '@backstage/config';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_CLUSTER_ID,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
} from '@backstage/plugin-kubernetes-common';
import type { KubernetesConnection } from './types';

/** The auth providers the IRSA backend can use: it acts on its own, never as a user. */
export const SUPPORTED_AUTH_PROVIDERS = ['serviceAccount', 'aws'] as const;

/**
 * Providers of the Kubernetes plugin that authenticate as the signed-in user, with a token
 * the browser sends along with each request. The IRSA backend also acts in scaffolder tasks
 * and for the catalog card, where there is no such token, so it cannot use them.
 */
const USER_TOKEN_PROVIDERS = new Set(['oidc', 'google', 'aks']);

// An IAM role ARN in any partition; AssumeRole would refuse anything else, later.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** What the IRSA cluster knows that the Kubernetes plugin's entry may not. */
export interface ClusterRefContext {
  /** `irsa.clusters[].region`: the STS region of an EKS token. */
  region?: string;
  /** `irsa.clusters[].eksClusterName`: the token's cluster id unless the entry names one. */
  eksClusterName?: string;
}

/**
 * The entry's auth metadata, merged as the Kubernetes backend's ConfigClusterLocator merges
 * it (not exported by @backstage/plugin-kubernetes-backend): the `authProvider` key unless
 * `authMetadata` names one, the legacy `serviceAccountToken`/`assumeRole`/`externalId` keys,
 * then `authMetadata` over them. So a cluster configured for the Kubernetes plugin means
 * the same here.
 */
function authMetadataOf(c: Config): Record<string, string | undefined> {
  const block = (c.getOptional('authMetadata') ?? {}) as Record<
    string,
    unknown
  >;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    [ANNOTATION_KUBERNETES_AUTH_PROVIDER]:
      str(block[ANNOTATION_KUBERNETES_AUTH_PROVIDER]) ??
      c.getOptionalString('authProvider'),
    serviceAccountToken: c.getOptionalString('serviceAccountToken'),
    [ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE]: c.getOptionalString('assumeRole'),
    [ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID]: c.getOptionalString('externalId'),
    ...Object.fromEntries(
      Object.entries(block)
        .filter(([, v]) => typeof v === 'string')
        .map(([k, v]) => [k, v as string]),
    ),
  };
}

/**
 * Reuses a cluster of `kubernetes.clusterLocatorMethods` (type `config`) so platform
 * teams configure each cluster's URL, CA and credentials once. Server-side providers only:
 * `serviceAccount` (its token) and `aws` (an EKS token, see EksTokenProvider). Any other
 * provider is refused at start, naming the entry's key and why.
 */
export function resolveClusterRef(
  root: Config,
  name: string,
  key: string,
  problems: { add(key: string, message: string): void },
  context: ClusterRefContext = {},
): KubernetesConnection | undefined {
  const methods =
    root.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const entries = methods.flatMap((m, i) =>
    m.getOptionalString('type') === 'config'
      ? (m.getOptionalConfigArray('clusters') ?? []).map((c, j) => ({
          c,
          path: `kubernetes.clusterLocatorMethods[${i}].clusters[${j}]`,
        }))
      : [],
  );
  const found = entries.find(e => e.c.getOptionalString('name') === name);
  if (!found) {
    const known = entries.map(e => e.c.getOptionalString('name')).join(', ');
    problems.add(
      key,
      `no cluster "${name}" in kubernetes.clusterLocatorMethods (type config)${
        known ? `; known: ${known}` : ''
      }`,
    );
    return undefined;
  }
  const { c: match, path } = found;
  const meta = authMetadataOf(match);
  const authProvider = meta[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
  const supported = SUPPORTED_AUTH_PROVIDERS.map(p => `"${p}"`).join(', ');
  if (
    !authProvider ||
    !(SUPPORTED_AUTH_PROVIDERS as readonly string[]).includes(authProvider)
  ) {
    let why = `uses authProvider "${authProvider}", which backstage-irsa does not support`;
    if (!authProvider) why = 'has no authProvider';
    else if (USER_TOKEN_PROVIDERS.has(authProvider)) {
      why = `uses authProvider "${authProvider}", which authenticates as the signed-in user; the IRSA backend also acts without a user (scaffolder tasks, the catalog card), so it cannot use it`;
    }
    problems.add(
      key,
      `cluster "${name}" (${path}.authProvider) ${why}; supported: ${supported}`,
    );
    return undefined;
  }
  const url = match.getOptionalString('url');
  if (!url) {
    problems.add(key, `cluster "${name}" (${path}.url) has no url`);
    return undefined;
  }
  const connection: KubernetesConnection = {
    url,
    caData: match.getOptionalString('caData'),
    caFile: match.getOptionalString('caFile'),
    dangerouslySkipTLSVerify:
      match.getOptionalBoolean('skipTLSVerify') ?? false,
    source: `kubernetes:${name}`,
  };
  if (authProvider === 'serviceAccount') {
    return { ...connection, serviceAccountToken: meta.serviceAccountToken };
  }
  const assumeRole = meta[ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE];
  const externalId = meta[ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID];
  if (assumeRole !== undefined && !ROLE_ARN.test(assumeRole)) {
    problems.add(
      key,
      `cluster "${name}" (${path}.authMetadata.${ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE}): "${assumeRole}" is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)`,
    );
    return undefined;
  }
  if (externalId !== undefined && assumeRole === undefined) {
    problems.add(
      key,
      `cluster "${name}" (${path}.authMetadata.${ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID}) is set without ${ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE}: an external id is only sent with an AssumeRole`,
    );
    return undefined;
  }
  if (!context.region) return undefined; // reported as irsa.clusters[].region
  return {
    ...connection,
    aws: {
      // As the Kubernetes backend's AwsIamStrategy: the entry's x-k8s-aws-id, else a name;
      // here the IRSA cluster's EKS name first, as that is the EKS cluster's own name.
      clusterId:
        meta[ANNOTATION_KUBERNETES_AWS_CLUSTER_ID] ??
        context.eksClusterName ??
        name,
      region: context.region,
      ...(assumeRole ? { assumeRole } : {}),
      ...(externalId ? { externalId } : {}),
    },
  };
}
