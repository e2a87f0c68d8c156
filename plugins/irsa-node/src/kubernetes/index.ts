export type {
  KubernetesGateway,
  PodRecord,
  ServiceAccountApply,
  ServiceAccountRecord,
} from './KubernetesGateway';
export { ClientKubernetesGateway, kubeConfigFor } from './KubernetesGateway';
export {
  EKS_TOKEN_REFRESH_BEFORE_EXPIRY_MS,
  EksTokenProvider,
} from './EksTokenProvider';
export {
  EKS_CLUSTER_ID_HEADER,
  EKS_TOKEN_PREFIX,
  EKS_TOKEN_PRESIGN_SECONDS,
  presignEksToken,
} from './eksToken';
export type { EksToken } from './eksToken';
export { kubernetesGatewayFor } from './kubernetesGatewayFor';
export {
  fieldManagerConflicts,
  FieldManagerConflictError,
  kubernetesStatus,
  mapKubernetesError,
} from './mapKubernetesError';
export type { FieldConflict, KubernetesSignIn } from './mapKubernetesError';
