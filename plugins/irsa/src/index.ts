/**
 * Frontend plugin for backstage-irsa (legacy frontend system). The new frontend system
 * uses the `/alpha` export.
 *
 * @packageDocumentation
 */
export {
  irsaPlugin,
  EntityIrsaCard,
  IrsaOverviewPage,
  IrsaTroubleshootingPage,
} from './plugin';
export {
  overviewRouteRef,
  removeAccessTemplateRouteRef,
  requestAccessTemplateRouteRef,
  troubleshootingRouteRef,
} from './routes';
export { irsaApiRef, IrsaClient } from './api';
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
} from './api';
export type {
  PluginIrsaBindingStatusClassKey,
  PluginIrsaCheckItemClassKey,
  PluginIrsaOverallStatusChipClassKey,
  PluginIrsaRoleArnClassKey,
  PluginIrsaStatusIconClassKey,
  PluginIrsaStatusReportViewClassKey,
} from './components/EntityIrsaCard';
export {
  IrsaAccountPickerFieldExtension,
  IrsaClusterPickerFieldExtension,
  IrsaNamespacePickerFieldExtension,
  IrsaPolicyPickerFieldExtension,
  IrsaRoleNameFieldExtension,
  IrsaRolePreviewFieldExtension,
  IrsaServiceAccountFieldExtension,
} from './fieldExtensions';
export type {
  IrsaFieldUiOptions,
  IrsaFormKeys,
  IrsaPolicyValue,
  IrsaRolePreviewValue,
  PluginIrsaRoleNameFieldClassKey,
} from './components/fields';
