import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { KUBERNETES_NAMESPACE_ANNOTATION } from '@backstage-irsa/plugin-irsa-common';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { type IrsaFormNamespace, irsaApiRef } from '../../api';
import { errorMessage, formKeys, type IrsaFieldUiOptions } from './formValues';
import { previewValidator } from './previewValidator';
import { irsaFieldsTranslationRef } from './translation';

/** Why `name` cannot be used, or undefined: missing from the cluster, or refused. */
function refusalOf(
  name: string,
  cluster: string,
  namespaces: IrsaFormNamespace[],
): string | undefined {
  const found = namespaces.find(n => n.name === name);
  if (!found) {
    return `Namespace "${name}" does not exist on cluster ${cluster}; pick one from the list (namespaces are created by your platform, not by this template).`;
  }
  return found.allowed ? undefined : found.reason;
}

/**
 * The chosen cluster's namespaces, those the chosen service may not use shown disabled with
 * the reason (the platform's guardrails, whose namespace it is). Starts on the service's
 * `backstage.io/kubernetes-namespace` when it may use it.
 */
export function IrsaNamespacePicker(
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
  const api = useApi(irsaApiRef);
  const catalogApi = useApi(catalogApiRef);
  const keys = formKeys(uiSchema);
  const data = (props.formContext?.formData ?? {}) as Record<string, unknown>;
  const cluster =
    typeof data[keys.cluster] === 'string'
      ? (data[keys.cluster] as string)
      : '';
  const entityRef =
    typeof data[keys.entity] === 'string' ? (data[keys.entity] as string) : '';

  const {
    value: namespaces,
    loading,
    error,
  } = useAsync(
    async () =>
      cluster && entityRef
        ? api.getFormNamespaces(cluster, entityRef)
        : undefined,
    [api, cluster, entityRef],
  );
  const { value: ownNamespace } = useAsync(async () => {
    if (!entityRef) return undefined;
    const entity = await catalogApi.getEntityByRef(entityRef);
    return entity?.metadata.annotations?.[
      KUBERNETES_NAMESPACE_ANNOTATION
    ]?.trim();
  }, [catalogApi, entityRef]);

  // Start on the service's own namespace, or the only one it may use.
  useEffect(() => {
    if (formData || !namespaces) return;
    const allowed = namespaces.filter(n => n.allowed);
    const own = allowed.find(n => n.name === ownNamespace);
    const start = own ?? (allowed.length === 1 ? allowed[0] : undefined);
    if (start) onChange(start.name);
  }, [formData, namespaces, ownNamespace, onChange]);

  const refusal =
    formData && namespaces
      ? refusalOf(formData, cluster, namespaces)
      : undefined;
  let helperText: string | undefined = refusal;
  if (error)
    helperText = t('common.loadError', { message: errorMessage(error) });
  else if (!cluster || !entityRef) helperText = t('namespace.chooseFirst');
  else if (namespaces && !namespaces.some(n => n.allowed) && !formData)
    helperText = t('namespace.none');

  return (
    <TextField
      id={idSchema?.$id}
      select
      fullWidth
      margin="normal"
      label={schema.title ?? t('namespace.label')}
      value={formData ?? ''}
      required={required}
      disabled={disabled || loading || !namespaces}
      error={Boolean(error) || Boolean(refusal) || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      onChange={e => onChange(e.target.value || undefined)}
      SelectProps={{
        renderValue: value => String(value),
      }}
      inputProps={{ 'data-testid': 'irsa-namespace-picker' }}
    >
      {(namespaces ?? []).map(n => (
        <MenuItem key={n.name} value={n.name} disabled={!n.allowed}>
          <ListItemText
            primary={
              n.allowed ? n.name : t('namespace.refused', { name: n.name })
            }
            secondary={n.allowed ? undefined : n.reason}
          />
        </MenuItem>
      ))}
      {/* A prefilled namespace missing from the cluster stays visible, with its error. */}
      {formData && !(namespaces ?? []).some(n => n.name === formData) ? (
        <MenuItem value={formData}>{formData}</MenuItem>
      ) : null}
    </TextField>
  );
}

/**
 * On Review: the namespace exists on the cluster and the service may use it there (the
 * guardrails and the ownership rules, as the actions check), in the platform's words.
 */
export const validateIrsaNamespace = previewValidator(
  'namespace',
  // Whatever else the actions refuse about the namespace (its name, say).
  ['namespace'],
  async (api, request, value) =>
    refusalOf(
      value,
      request.cluster,
      await api.getFormNamespaces(request.cluster, request.entityRef),
    ),
);
