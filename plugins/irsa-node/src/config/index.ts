export { ClusterRegistry } from './ClusterRegistry';
export type { ClusterSummaryView } from './ClusterRegistry';
export { clusterRegistryServiceRef } from './clusterRegistryServiceRef';
export { IrsaConfigError } from './IrsaConfigError';
export { readIrsaConfig } from './readIrsaConfig';
export type {
  IrsaClusterConfig,
  IrsaConfig,
  IrsaGuardrails,
  KubernetesConnection,
} from './types';
