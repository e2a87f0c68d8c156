export { irsaApiRef } from './IrsaApi';
export type {
  IrsaApi,
  IrsaCluster,
  IrsaFormNamespace,
  IrsaFormPolicies,
  IrsaOrphansQuery,
  IrsaOverviewExport,
  IrsaOverviewFilters,
  IrsaOverviewQuery,
  IrsaPreset,
  IrsaRolePreviewResult,
  IrsaRoleRequest,
} from './IrsaApi';
export { IrsaClient } from './IrsaClient';
