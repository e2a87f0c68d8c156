export { EntityIrsaCard } from './EntityIrsaCard';
export type { PluginIrsaBindingStatusClassKey } from './BindingStatus';
export type { PluginIrsaCheckItemClassKey } from './CheckItem';
export type { PluginIrsaOverallStatusChipClassKey } from './OverallStatusChip';
export type { PluginIrsaStatusIconClassKey } from './StatusIcon';
export type { PluginIrsaStatusReportViewClassKey } from './StatusReportView';
export type { PluginIrsaRoleArnClassKey } from './RoleArn';
