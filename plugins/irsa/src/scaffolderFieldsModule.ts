import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

// Each field is loaded with its component when the scaffolder first needs it.
const fields = () => import('./components/fields/formFields');

/**
 * The IRSA template fields for the new frontend system: a module of the scaffolder plugin,
 * one `scaffolder-form-field` extension per field (`ui:field` names IrsaClusterPicker,
 * IrsaAccountPicker, IrsaNamespacePicker, IrsaPolicyPicker, IrsaRoleNameField,
 * IrsaRolePreview, IrsaServiceAccountField). They call the IRSA plugin's API, so the app needs that plugin too.
 * @alpha
 */
export const irsaScaffolderFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    FormFieldBlueprint.make({
      name: 'irsa-cluster-picker',
      params: { field: () => fields().then(m => m.irsaClusterPickerField) },
    }),
    FormFieldBlueprint.make({
      name: 'irsa-account-picker',
      params: { field: () => fields().then(m => m.irsaAccountPickerField) },
    }),
    FormFieldBlueprint.make({
      name: 'irsa-namespace-picker',
      params: { field: () => fields().then(m => m.irsaNamespacePickerField) },
    }),
    FormFieldBlueprint.make({
      name: 'irsa-policy-picker',
      params: { field: () => fields().then(m => m.irsaPolicyPickerField) },
    }),
    FormFieldBlueprint.make({
      name: 'irsa-role-name',
      params: { field: () => fields().then(m => m.irsaRoleNameField) },
    }),
    FormFieldBlueprint.make({
      name: 'irsa-service-account',
      params: { field: () => fields().then(m => m.irsaServiceAccountField) },
    }),
    FormFieldBlueprint.make({
      name: 'irsa-role-preview',
      params: { field: () => fields().then(m => m.irsaRolePreviewField) },
    }),
  ],
});
