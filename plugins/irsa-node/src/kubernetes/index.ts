export type {
  KubernetesGateway,
  PodRecord,
  ServiceAccountApply,
  ServiceAccountRecord,
} from './KubernetesGateway';
export { ClientKubernetesGateway, kubeConfigFor } from './KubernetesGateway';
export {
  fieldManagerConflicts,
  FieldManagerConflictError,
  kubernetesStatus,
  mapKubernetesError,
} from './mapKubernetesError';
export type { FieldConflict } from './mapKubernetesError';
