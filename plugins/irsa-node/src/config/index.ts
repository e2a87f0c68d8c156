export { ClusterRegistry } from './ClusterRegistry';
export type { ClusterSummaryView } from './ClusterRegistry';
export { clusterRegistryServiceRef } from './clusterRegistryServiceRef';
export { IrsaConfigError } from './IrsaConfigError';
export { DEFAULT_VERIFY_RATE_LIMIT, readIrsaConfig } from './readIrsaConfig';
export type {
  AwsCallLimits,
  AwsIamAuth,
  IrsaClusterConfig,
  IrsaConfig,
  IrsaGuardrails,
  KubernetesConnection,
  RateLimit,
} from './types';
