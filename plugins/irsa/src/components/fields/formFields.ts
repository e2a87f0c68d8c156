import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { IrsaAccountPicker, validateIrsaAccount } from './IrsaAccountPicker';
import { IrsaClusterPicker, validateIrsaCluster } from './IrsaClusterPicker';
import {
  IrsaNamespacePicker,
  validateIrsaNamespace,
} from './IrsaNamespacePicker';
import { IrsaPolicyPicker, validateIrsaPolicies } from './IrsaPolicyPicker';
import { IrsaRoleNameField, validateIrsaRoleName } from './IrsaRoleNameField';
import { IrsaRolePreview } from './IrsaRolePreview';
import {
  IrsaServiceAccountField,
  validateIrsaServiceAccount,
} from './IrsaServiceAccountField';

// The new frontend system's form fields (see scaffolderFieldsModule.ts); the same
// components and validations as the legacy field extensions.

export const irsaClusterPickerField = createFormField({
  name: 'IrsaClusterPicker',
  component: IrsaClusterPicker,
  validation: validateIrsaCluster,
});

export const irsaAccountPickerField = createFormField({
  name: 'IrsaAccountPicker',
  component: IrsaAccountPicker,
  validation: validateIrsaAccount,
});

export const irsaNamespacePickerField = createFormField({
  name: 'IrsaNamespacePicker',
  component: IrsaNamespacePicker,
  validation: validateIrsaNamespace,
});

export const irsaPolicyPickerField = createFormField({
  name: 'IrsaPolicyPicker',
  component: IrsaPolicyPicker,
  validation: validateIrsaPolicies,
});

export const irsaRoleNameField = createFormField({
  name: 'IrsaRoleNameField',
  component: IrsaRoleNameField,
  validation: validateIrsaRoleName,
});

export const irsaRolePreviewField = createFormField({
  name: 'IrsaRolePreview',
  component: IrsaRolePreview,
});

export const irsaServiceAccountField = createFormField({
  name: 'IrsaServiceAccountField',
  component: IrsaServiceAccountField,
  validation: validateIrsaServiceAccount,
});
