import type {
  NamespaceOwnership,
  PolicyPreset,
} from '@backstage-irsa/plugin-irsa-common';
import type { OutboundPolicy } from '../outbound/guardedFetch';

/**
 * `authProvider: aws` of a `kubernetes.clusterLocatorMethods` cluster: the backend presents
 * an EKS token (a presigned STS GetCallerIdentity) instead of a ServiceAccount token.
 */
export interface AwsIamAuth {
  /** The `x-k8s-aws-id` the token is signed for: the EKS cluster's name. */
  clusterId: string;
  /** The STS region the token is signed in (the IRSA cluster's `region`). */
  region: string;
  /** `kubernetes.io/aws-assume-role`: the role the token is for, assumed first. */
  assumeRole?: string;
  /** `kubernetes.io/aws-external-id`, sent with that AssumeRole. */
  externalId?: string;
}

/** How the backend reaches one cluster's API server, after resolving `clusterRef`. */
export interface KubernetesConnection {
  url: string;
  caData?: string;
  caFile?: string;
  serviceAccountToken?: string;
  /** Set for `authProvider: aws`; then there is no `serviceAccountToken`. */
  aws?: AwsIamAuth;
  dangerouslySkipTLSVerify: boolean;
  /** Where the connection came from, for messages: `irsa` or `kubernetes:<name>`. */
  source: string;
}

/** One entry of `irsa.clusters`, validated. */
export interface IrsaClusterConfig {
  name: string;
  accountId: string;
  region: string;
  eksClusterName?: string;
  oidcIssuer?: string;
  /** Accounts besides `accountId` where roles for this cluster may be created. */
  allowedAccountIds: string[];
  kubernetes: KubernetesConnection;
}

/** `irsa.guardrails`, validated, with defaults applied. */
export interface IrsaGuardrails {
  allowedNamespaces: string[];
  deniedNamespaces: string[];
  allowedPolicyArns: string[];
  permissionsBoundaryArn?: string;
  roleNamePrefix: string;
  rolePath: string;
  maxSessionDurationSeconds: number;
  /** The accounts' role trust policy length quota: 2048 unless raised (up to 4096). */
  trustPolicySizeLimit: number;
  /** Whether a preset's inline policy may Allow Action "*" on Resource "*". Default false. */
  allowAllActionsOnAllResources: boolean;
  /** Whether a role may trust a ServiceAccount name pattern (`StringLike`). Default false. */
  allowServiceAccountPatterns: boolean;
}

/** A rate limit: at most `limit` calls per `windowSeconds`. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** The whole `irsa` section, validated. */
export interface IrsaConfig {
  clusters: IrsaClusterConfig[];
  guardrails: IrsaGuardrails;
  /** `irsa.presets`, validated at start (names unique, inline policies well-formed). */
  presets: PolicyPreset[];
  /** Lower-cased entity kinds that may receive AWS access. */
  entityKinds: string[];
  namespaceOwnership: NamespaceOwnership;
  verifyRateLimit: { perUser: RateLimit; perEntity: RateLimit };
  /** `irsa.outbound`: how issuer discovery may reach the network. */
  outbound: OutboundPolicy;
  /** `irsa.aws`: how long an AWS call may take, and how often it is tried. */
  aws: AwsCallLimits;
  /** `irsa.kubernetes.requestTimeoutSeconds`, in milliseconds. */
  kubernetesTimeoutMs: number;
  /** `irsa.kubernetes.maxConcurrency`: requests in flight to one cluster's API server. */
  kubernetesMaxConcurrency: number;
  /** `irsa.cache`: how long reads are reused. */
  cache: CacheSettings;
}

/** How long the backend reuses what it read; 0 turns a cache off. */
export interface CacheSettings {
  /** IAM roles and OIDC providers, EKS clusters and associations, issuer discovery. */
  readTtlMs: number;
  /** A whole status report of one entity. */
  statusTtlMs: number;
}

/** Bounds on every AWS SDK call, so a slow or stopped peer fails in bounded time. */
export interface AwsCallLimits {
  connectTimeoutMs: number;
  /** Per attempt; the SDK retries transient failures up to `maxAttempts` in all. */
  requestTimeoutMs: number;
  maxAttempts: number;
  /** Calls in flight to one account and region at a time; the rest wait their turn. */
  maxConcurrency: number;
}
