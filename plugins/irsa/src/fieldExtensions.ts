import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  IrsaAccountPicker,
  IrsaClusterPicker,
  IrsaNamespacePicker,
  IrsaPolicyPicker,
  IrsaRoleNameField,
  IrsaRolePreview,
  IrsaServiceAccountField,
  validateIrsaAccount,
  validateIrsaCluster,
  validateIrsaNamespace,
  validateIrsaPolicies,
  validateIrsaRoleName,
  validateIrsaServiceAccount,
} from './components/fields';
import { irsaPlugin } from './plugin';

// The template form's fields for apps on the legacy frontend system. Provided by the IRSA
// plugin (not the scaffolder's), so using one brings the IRSA API client they call along.
// In App.tsx, under the scaffolder's route:
//   <Route path="/create" element={<ScaffolderPage />}>
//     <ScaffolderFieldExtensions>
//       <IrsaClusterPickerFieldExtension /> …
//     </ScaffolderFieldExtensions>
//   </Route>

/**
 * `ui:field: IrsaClusterPicker`: the clusters configured for AWS access.
 * @public
 */
export const IrsaClusterPickerFieldExtension = irsaPlugin.provide(
  createScaffolderFieldExtension({
    name: 'IrsaClusterPicker',
    component: IrsaClusterPicker,
    validation: validateIrsaCluster,
  }),
);

/**
 * `ui:field: IrsaAccountPicker`: the accounts the chosen cluster's roles may live in.
 * @public
 */
export const IrsaAccountPickerFieldExtension = irsaPlugin.provide(
  createScaffolderFieldExtension({
    name: 'IrsaAccountPicker',
    component: IrsaAccountPicker,
    validation: validateIrsaAccount,
  }),
);

/**
 * `ui:field: IrsaNamespacePicker`: the cluster's namespaces the chosen service may use.
 * @public
 */
export const IrsaNamespacePickerFieldExtension = irsaPlugin.provide(
  createScaffolderFieldExtension({
    name: 'IrsaNamespacePicker',
    component: IrsaNamespacePicker,
    validation: validateIrsaNamespace,
  }),
);

/**
 * `ui:field: IrsaPolicyPicker`: the platform's presets and allow-listed managed policies.
 * @public
 */
export const IrsaPolicyPickerFieldExtension = irsaPlugin.provide(
  createScaffolderFieldExtension({
    name: 'IrsaPolicyPicker',
    component: IrsaPolicyPicker,
    validation: validateIrsaPolicies,
  }),
);

/**
 * `ui:field: IrsaRoleNameField`: the role name with a live preview of the role.
 * @public
 */
export const IrsaRoleNameFieldExtension = irsaPlugin.provide(
  createScaffolderFieldExtension({
    name: 'IrsaRoleNameField',
    component: IrsaRoleNameField,
    validation: validateIrsaRoleName,
  }),
);

/**
 * `ui:field: IrsaRolePreview` (with `ui:widget: hidden`): the final role name, ARN and
 * trust subject, for the review page.
 * @public
 */
export const IrsaRolePreviewFieldExtension = irsaPlugin.provide(
  createScaffolderFieldExtension({
    name: 'IrsaRolePreview',
    component: IrsaRolePreview,
  }),
);

/**
 * `ui:field: IrsaServiceAccountField`: the ServiceAccount, starting on the service's name.
 * @public
 */
export const IrsaServiceAccountFieldExtension = irsaPlugin.provide(
  createScaffolderFieldExtension({
    name: 'IrsaServiceAccountField',
    component: IrsaServiceAccountField,
    validation: validateIrsaServiceAccount,
  }),
);
