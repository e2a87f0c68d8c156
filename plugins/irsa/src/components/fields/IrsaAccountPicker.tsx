import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import useAsync from 'react-use/esm/useAsync';
import { irsaApiRef } from '../../api';
import { errorMessage, formKeys, type IrsaFieldUiOptions } from './formValues';
import { previewValidator } from './previewValidator';
import { irsaFieldsTranslationRef } from './translation';

// MUI's select cannot hold an empty string as an option's value next to `undefined`.
const OWN_ACCOUNT = '';

/**
 * For cross-account roles: the accounts the chosen cluster's roles may live in (its own and
 * `irsa.clusters[].allowedAccountIds`). Empty means the cluster's own account.
 */
export function IrsaAccountPicker(
  props: FieldExtensionComponentProps<string, IrsaFieldUiOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    rawErrors,
    disabled,
    uiSchema,
    idSchema,
  } = props;
  const { t } = useTranslationRef(irsaFieldsTranslationRef);
  const api = useApi(irsaApiRef);
  const keys = formKeys(uiSchema);
  const clusterName = (
    props.formContext?.formData as Record<string, unknown> | undefined
  )?.[keys.cluster] as string | undefined;
  const {
    value: clusters,
    loading,
    error,
  } = useAsync(() => api.getClusters(), [api]);
  const cluster = clusters?.find(c => c.name === clusterName);
  const others = cluster?.allowedAccountIds ?? [];

  let helperText: string | undefined;
  if (error)
    helperText = t('common.loadError', { message: errorMessage(error) });
  else if (!cluster && !loading) helperText = t('account.chooseCluster');

  return (
    <TextField
      id={idSchema?.$id}
      select
      fullWidth
      margin="normal"
      label={schema.title ?? t('account.label')}
      value={formData ?? OWN_ACCOUNT}
      disabled={disabled || loading || !cluster}
      error={Boolean(error) || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      onChange={e => onChange(e.target.value || undefined)}
      SelectProps={{ displayEmpty: true }}
      InputLabelProps={{ shrink: true }}
      inputProps={{ 'data-testid': 'irsa-account-picker' }}
    >
      <MenuItem value={OWN_ACCOUNT}>
        {cluster
          ? t('account.own', { accountId: cluster.accountId })
          : t('account.chooseCluster')}
      </MenuItem>
      {others.map(accountId => (
        <MenuItem key={accountId} value={accountId}>
          {t('account.other', { accountId })}
        </MenuItem>
      ))}
      {/* A value the cluster does not allow stays visible, with its error below. */}
      {formData && !others.includes(formData) ? (
        <MenuItem value={formData}>{formData}</MenuItem>
      ) : null}
    </TextField>
  );
}

/** On Review: the account is one the cluster's roles may live in, as the actions check. */
export const validateIrsaAccount = previewValidator('accountId', ['accountId']);
