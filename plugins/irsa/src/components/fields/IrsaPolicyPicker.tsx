import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { presetSelectionProblems } from '@backstage-irsa/plugin-irsa-common';
import useAsync from 'react-use/esm/useAsync';
import { type IrsaPreset, irsaApiRef } from '../../api';
import {
  errorMessage,
  formKeys,
  type IrsaFieldUiOptions,
  type IrsaPolicyValue,
  policyValueOf,
  previewOnce,
  problemsAt,
  roleRequestOf,
} from './formValues';
import { irsaFieldsTranslationRef } from './translation';

type Parameter = IrsaPreset['parameters'][number];

/**
 * Whether a parameter value may be used, decided by the validator the actions run
 * (irsa-common's presetSelectionProblems: the whole value matches the preset's pattern and
 * holds no wildcard or policy variable), so the form never accepts what they refuse.
 */
function parameterAccepted(
  preset: IrsaPreset,
  parameter: Parameter,
  value: string,
): boolean {
  const problems = presetSelectionProblems(
    [{ name: preset.name, parameters: { [parameter.name]: value } }],
    [{ ...preset, inlinePolicy: undefined }],
  );
  return !problems.some(p => p.field.endsWith(`.parameters.${parameter.name}`));
}

/** What is wrong with one parameter value, in words (never the pattern itself). */
function parameterProblem(
  preset: IrsaPreset,
  parameter: Parameter,
  value: string | undefined,
): string | undefined {
  if (!value) return `${parameter.title} is required.`;
  if (!parameterAccepted(preset, parameter, value)) {
    return `"${value}" is not a valid ${parameter.title.toLocaleLowerCase()}.${
      parameter.description ? ` ${parameter.description}` : ''
    }`;
  }
  return undefined;
}

/** The last part of a policy ARN, its name (`…:policy/AmazonS3ReadOnlyAccess`). */
function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * What the role may do: the platform's presets (`irsa.presets`, each with its description
 * and parameters, checked as you type) and the allow-listed AWS managed policies as
 * checkboxes. Value `{ presets: [{ name, parameters }], policyArns }`, what
 * `aws:irsa:create-role` and `aws:oidc:ensure` take.
 */
export function IrsaPolicyPicker(
  props: FieldExtensionComponentProps<IrsaPolicyValue, IrsaFieldUiOptions>,
) {
  const { formData, onChange, schema, rawErrors, disabled } = props;
  const { t } = useTranslationRef(irsaFieldsTranslationRef);
  const api = useApi(irsaApiRef);
  const {
    value: offered,
    loading,
    error,
  } = useAsync(() => api.getFormPolicies(), [api]);
  const value = policyValueOf(formData);
  const chosen = (name: string) => value.presets.find(p => p.name === name);

  const update = (next: Partial<IrsaPolicyValue>) =>
    onChange({ ...value, ...next });
  const togglePreset = (preset: IrsaPreset, on: boolean) =>
    update({
      presets: on
        ? [...value.presets, { name: preset.name, parameters: {} }]
        : value.presets.filter(p => p.name !== preset.name),
    });
  const setParameter = (preset: IrsaPreset, name: string, text: string) =>
    update({
      presets: value.presets.map(p =>
        p.name === preset.name
          ? { ...p, parameters: { ...p.parameters, [name]: text } }
          : p,
      ),
    });
  const toggleArn = (arn: string, on: boolean) =>
    update({
      policyArns: on
        ? [...value.policyArns, arn]
        : value.policyArns.filter(a => a !== arn),
    });

  if (loading)
    return <Typography variant="body2">{t('common.loading')}</Typography>;
  if (error) {
    return (
      <FormHelperText error>
        {t('common.loadError', { message: errorMessage(error) })}
      </FormHelperText>
    );
  }
  const presets = offered?.presets ?? [];
  const arns = offered?.managedPolicyArns ?? [];
  return (
    <Box mt={2} mb={1} data-testid="irsa-policy-picker">
      {schema.title ? (
        <FormLabel error={(rawErrors?.length ?? 0) > 0}>
          {schema.title}
        </FormLabel>
      ) : null}
      {presets.length === 0 && arns.length === 0 ? (
        <Typography variant="body2">{t('policies.none')}</Typography>
      ) : null}
      {presets.length > 0 ? (
        <Box mt={1}>
          <Typography variant="subtitle2">
            {t('policies.presetsTitle')}
          </Typography>
          <FormGroup>
            {presets.map(preset => {
              const picked = chosen(preset.name);
              return (
                <Box key={preset.name} mb={1}>
                  <FormControlLabel
                    control={
                      <Checkbox
                        checked={Boolean(picked)}
                        disabled={disabled}
                        onChange={(_e, on) => togglePreset(preset, on)}
                        name={preset.name}
                      />
                    }
                    label={preset.title}
                  />
                  <Box ml={4}>
                    {preset.description ? (
                      <Typography variant="body2" color="textSecondary">
                        {preset.description}
                      </Typography>
                    ) : null}
                    {preset.policyArns.length > 0 ? (
                      <Typography
                        variant="caption"
                        color="textSecondary"
                        component="div"
                      >
                        {t('policies.attaches', {
                          arns: preset.policyArns.map(policyName).join(', '),
                        })}
                      </Typography>
                    ) : null}
                    {preset.hasInlinePolicy ? (
                      <Typography
                        variant="caption"
                        color="textSecondary"
                        component="div"
                      >
                        {t('policies.inlinePolicy')}
                      </Typography>
                    ) : null}
                    {picked
                      ? preset.parameters.map(parameter => {
                          const text =
                            picked.parameters?.[parameter.name] ?? '';
                          // As you type: say what is wrong once there is something to judge.
                          const problem = text
                            ? parameterProblem(preset, parameter, text)
                            : undefined;
                          return (
                            <TextField
                              key={parameter.name}
                              fullWidth
                              margin="dense"
                              required
                              label={parameter.title}
                              value={text}
                              disabled={disabled}
                              error={Boolean(problem)}
                              helperText={problem ?? parameter.description}
                              onChange={e =>
                                setParameter(
                                  preset,
                                  parameter.name,
                                  e.target.value,
                                )
                              }
                              inputProps={{
                                'aria-label': `${preset.title}: ${parameter.title}`,
                              }}
                            />
                          );
                        })
                      : null}
                  </Box>
                </Box>
              );
            })}
          </FormGroup>
        </Box>
      ) : null}
      {arns.length > 0 ? (
        <Box mt={1}>
          <Typography variant="subtitle2">
            {t('policies.managedTitle')}
          </Typography>
          <FormGroup>
            {arns.map(arn => (
              <FormControlLabel
                key={arn}
                control={
                  <Checkbox
                    checked={value.policyArns.includes(arn)}
                    disabled={disabled}
                    onChange={(_e, on) => toggleArn(arn, on)}
                    name={arn}
                  />
                }
                label={
                  <span>
                    {policyName(arn)}{' '}
                    <Typography variant="caption" color="textSecondary">
                      {arn}
                    </Typography>
                  </span>
                }
              />
            ))}
          </FormGroup>
        </Box>
      ) : null}
    </Box>
  );
}

/**
 * On Review: every chosen preset is offered and its parameters match, every policy is
 * allow-listed, and nothing else the actions would refuse about the role's permissions.
 */
export const validateIrsaPolicies: CustomFieldValidator<
  IrsaPolicyValue,
  IrsaFieldUiOptions
> = async (raw, validation, context) => {
  const api = context.apiHolder.get(irsaApiRef);
  if (!api) return;
  const value = policyValueOf(raw);
  try {
    const offered = await api.getFormPolicies();
    const problems: string[] = [];
    for (const picked of value.presets) {
      const preset = offered.presets.find(p => p.name === picked.name);
      if (!preset) {
        problems.push(
          `"${picked.name}" is not a permission set your platform offers; pick from the list.`,
        );
        continue;
      }
      for (const parameter of preset.parameters) {
        const problem = parameterProblem(
          preset,
          parameter,
          picked.parameters?.[parameter.name],
        );
        if (problem) problems.push(`${preset.title}: ${problem}`);
      }
    }
    for (const arn of value.policyArns) {
      if (!offered.managedPolicyArns.includes(arn)) {
        problems.push(
          `Policy ${arn} is not one your platform allows; pick from the list.`,
        );
      }
    }
    problems.forEach(m => validation.addError(m));
    // Then what only the backend judges (a preset's policy size, say), once the picks
    // themselves are right: the same problem is not said twice.
    const request = roleRequestOf(context.formData, formKeys(context.uiSchema));
    if (request && problems.length === 0) {
      const preview = await previewOnce(api, {
        ...request,
        presets: value.presets,
        policyArns: value.policyArns,
      });
      problemsAt(preview, 'policies').forEach(m => validation.addError(m));
    }
  } catch (e) {
    validation.addError(errorMessage(e));
  }
};
