import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import InputAdornment from '@material-ui/core/InputAdornment';
import { makeStyles } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
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

/** @public */
export type PluginIrsaRoleNameFieldClassKey = 'preview' | 'value';

const useStyles = makeStyles(
  theme => ({
    preview: {
      marginTop: theme.spacing(1),
      padding: theme.spacing(1, 2),
      borderLeft: `3px solid ${theme.palette.divider}`,
    },
    value: { fontFamily: 'monospace', wordBreak: 'break-all' },
  }),
  { name: 'PluginIrsaRoleNameField' },
);

/**
 * The IAM role's name, with what the platform makes of it shown as you type: the final
 * name with its prefix, the path, the ARN in the cluster's partition and account, and the
 * one ServiceAccount its trust lets in. Its limits (and the ServiceAccount name's) are
 * checked by the backend's validators while you type, so they never come as a surprise
 * after submit. Starts on the service's name.
 */
export function IrsaRoleNameField(
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
  const classes = useStyles();
  const { t } = useTranslationRef(irsaFieldsTranslationRef);
  const keys = formKeys(uiSchema);
  const data = props.formContext?.formData;
  // The service's name is the usual role name; offered once, until the user types.
  const typed = useOfferEntityName(props);

  const request = roleRequestOf(data, keys, { roleName: formData ?? '' });
  const { preview, pending, error } = useRolePreview(
    formData ? request : undefined,
  );
  const problems = pending
    ? []
    : [
        ...problemsAt(preview, 'roleName'),
        ...problemsAt(preview, 'serviceAccount'),
      ];
  const prefix = preview?.roleNamePrefix ?? '';
  const showPrefix = Boolean(prefix) && !(formData ?? '').startsWith(prefix);

  let helperText: string | undefined = problems.join(' ') || undefined;
  if (error) helperText = errorMessage(error);

  return (
    <>
      <TextField
        id={idSchema?.$id}
        fullWidth
        margin="normal"
        label={schema.title ?? t('roleName.label')}
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
        InputProps={{
          startAdornment: showPrefix ? (
            <InputAdornment position="start">{prefix}</InputAdornment>
          ) : undefined,
        }}
        inputProps={{ 'data-testid': 'irsa-role-name' }}
      />
      {preview && formData ? (
        <Box
          className={classes.preview}
          aria-live="polite"
          data-testid="irsa-role-preview"
        >
          <Typography variant="subtitle2">
            {t('roleName.preview')}
            {pending ? ` (${t('roleName.checking')})` : ''}
          </Typography>
          <PreviewLine
            label={t('roleName.finalName')}
            value={preview.roleName}
          />
          <PreviewLine label={t('roleName.path')} value={preview.path} />
          {preview.roleArn ? (
            <PreviewLine label={t('roleName.arn')} value={preview.roleArn} />
          ) : null}
          <PreviewLine
            label={t('roleName.trustSubject')}
            value={preview.trustSubject}
          />
        </Box>
      ) : null}
    </>
  );
}

function PreviewLine(props: { label: string; value: string }) {
  const classes = useStyles();
  return (
    <Typography variant="body2">
      {props.label}: <span className={classes.value}>{props.value}</span>
    </Typography>
  );
}

/**
 * On Review: the role name (with the platform's prefix) and the ServiceAccount name pass
 * the checks the actions run, in their words.
 */
export const validateIrsaRoleName = previewValidator('roleName', [
  'roleName',
  'serviceAccount',
]);
