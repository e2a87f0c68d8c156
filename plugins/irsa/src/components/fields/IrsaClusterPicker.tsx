import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { irsaApiRef } from '../../api';
import { errorMessage, type IrsaFieldUiOptions } from './formValues';
import { irsaFieldsTranslationRef } from './translation';

/**
 * The clusters the platform configured for AWS access (`irsa.clusters`), by name with
 * their region and account; never a connection detail. With one cluster it is chosen.
 */
export function IrsaClusterPicker(
  props: FieldExtensionComponentProps<string, IrsaFieldUiOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    required,
    rawErrors,
    disabled,
    idSchema,
  } = props;
  const { t } = useTranslationRef(irsaFieldsTranslationRef);
  const api = useApi(irsaApiRef);
  const {
    value: clusters,
    loading,
    error,
  } = useAsync(() => api.getClusters(), [api]);

  useEffect(() => {
    if (!formData && clusters?.length === 1) onChange(clusters[0].name);
  }, [formData, clusters, onChange]);

  let helperText: string | undefined;
  if (error)
    helperText = t('common.loadError', { message: errorMessage(error) });
  else if (clusters && clusters.length === 0) helperText = t('cluster.none');
  const unknown =
    Boolean(formData) && clusters && !clusters.some(c => c.name === formData);
  if (unknown) helperText = unknownClusterMessage(formData!, clusters!);

  return (
    <TextField
      id={idSchema?.$id}
      select
      fullWidth
      margin="normal"
      label={schema.title ?? t('cluster.label')}
      value={formData ?? ''}
      required={required}
      disabled={disabled || loading}
      error={Boolean(error) || Boolean(unknown) || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      onChange={e => onChange(e.target.value || undefined)}
      inputProps={{ 'data-testid': 'irsa-cluster-picker' }}
    >
      {(clusters ?? []).map(c => (
        <MenuItem key={c.name} value={c.name}>
          {t('cluster.option', {
            name: c.name,
            region: c.region,
            accountId: c.accountId,
          })}
        </MenuItem>
      ))}
      {/* A prefilled cluster the backend does not know stays visible, with its error. */}
      {formData && !(clusters ?? []).some(c => c.name === formData) ? (
        <MenuItem value={formData}>{formData}</MenuItem>
      ) : null}
    </TextField>
  );
}

function unknownClusterMessage(
  name: string,
  clusters: Array<{ name: string }>,
) {
  return `Cluster "${name}" is not configured for AWS access; choose one of: ${clusters
    .map(c => c.name)
    .join(', ')}.`;
}

/** On Review: the cluster is one the backend knows. */
export const validateIrsaCluster: CustomFieldValidator<string> = async (
  value,
  validation,
  context,
) => {
  if (!value) return;
  const clusters = await context.apiHolder.get(irsaApiRef)?.getClusters();
  if (clusters && !clusters.some(c => c.name === value)) {
    validation.addError(unknownClusterMessage(value, clusters));
  }
};
