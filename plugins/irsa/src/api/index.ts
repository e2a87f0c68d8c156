export { irsaApiRef } from './IrsaApi';
export type {
  IrsaApi,
  IrsaCluster,
  IrsaFormNamespace,
  IrsaFormPolicies,
  IrsaPreset,
  IrsaRolePreviewResult,
  IrsaRoleRequest,
} from './IrsaApi';
export { IrsaClient } from './IrsaClient';
