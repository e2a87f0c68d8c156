/**
 * Frontend plugin for backstage-irsa (legacy frontend system). The new frontend system
 * uses the `/alpha` export.
 *
 * @packageDocumentation
 */
export { irsaPlugin, EntityIrsaCard } from './plugin';
export { irsaApiRef, IrsaClient } from './api';
export type { IrsaApi, IrsaCluster } from './api';
export type {
  PluginIrsaBindingStatusClassKey,
  PluginIrsaCheckItemClassKey,
  PluginIrsaOverallStatusChipClassKey,
  PluginIrsaStatusIconClassKey,
  PluginIrsaStatusReportViewClassKey,
} from './components/EntityIrsaCard';
