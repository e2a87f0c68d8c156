import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import {
  errorMessage,
  formKeys,
  type IrsaFieldUiOptions,
  problemsAt,
  roleRequestOf,
} from './formValues';
import { previewValidator } from './previewValidator';
import { irsaFieldsTranslationRef } from './translation';
import { useOfferEntityName } from './useOfferEntityName';
import { useRolePreview } from './useRolePreview';

/**
 * The ServiceAccount the pods run as: starts on the chosen service's name (the usual
 * choice, as the card's button fills it), its name checked by the backend's validators as
 * you type.
 */
export function IrsaServiceAccountField(
  props: FieldExtensionComponentProps<string, IrsaFieldUiOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    required,
    rawErrors,
    disabled,
    uiSchema,
    idSchema,
  } = props;
  const { t } = useTranslationRef(irsaFieldsTranslationRef);
  const typed = useOfferEntityName(props);
  const request = roleRequestOf(
    props.formContext?.formData,
    formKeys(uiSchema),
    {
      serviceAccount: formData ?? '',
    },
  );
  const { preview, pending, error } = useRolePreview(
    formData && request?.roleName ? request : undefined,
  );
  const problems = pending ? [] : problemsAt(preview, 'serviceAccount');
  let helperText = problems.join(' ') || schema.description;
  if (error) helperText = errorMessage(error);
  return (
    <TextField
      id={idSchema?.$id}
      fullWidth
      margin="normal"
      label={schema.title ?? t('serviceAccount.label')}
      value={formData ?? ''}
      required={required}
      disabled={disabled}
      error={
        Boolean(error) || problems.length > 0 || (rawErrors?.length ?? 0) > 0
      }
      helperText={helperText}
      onChange={e => {
        typed();
        onChange(e.target.value || undefined);
      }}
      inputProps={{ 'data-testid': 'irsa-service-account' }}
    />
  );
}

/** On Review: the ServiceAccount name passes the checks the actions run, in their words. */
export const validateIrsaServiceAccount = previewValidator('serviceAccount', [
  'serviceAccount',
]);
