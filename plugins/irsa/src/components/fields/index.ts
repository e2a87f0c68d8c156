export { IrsaAccountPicker, validateIrsaAccount } from './IrsaAccountPicker';
export { IrsaClusterPicker, validateIrsaCluster } from './IrsaClusterPicker';
export {
  IrsaNamespacePicker,
  validateIrsaNamespace,
} from './IrsaNamespacePicker';
export { IrsaPolicyPicker, validateIrsaPolicies } from './IrsaPolicyPicker';
export { IrsaRoleNameField, validateIrsaRoleName } from './IrsaRoleNameField';
export {
  IrsaServiceAccountField,
  validateIrsaServiceAccount,
} from './IrsaServiceAccountField';
export type { PluginIrsaRoleNameFieldClassKey } from './IrsaRoleNameField';
export { IrsaRolePreview } from './IrsaRolePreview';
export type { IrsaRolePreviewValue } from './IrsaRolePreview';
export { irsaFieldsTranslationRef } from './translation';
export { forgetPreviews } from './formValues';
export type {
  IrsaFieldUiOptions,
  IrsaFormKeys,
  IrsaPolicyValue,
} from './formValues';
