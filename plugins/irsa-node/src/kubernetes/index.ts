export type {
  KubernetesGateway,
  PodRecord,
  ServiceAccountRecord,
} from './KubernetesGateway';
export { ClientKubernetesGateway, kubeConfigFor } from './KubernetesGateway';
export { kubernetesStatus, mapKubernetesError } from './mapKubernetesError';
