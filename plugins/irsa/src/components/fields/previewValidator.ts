import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { type IrsaApi, irsaApiRef, type IrsaRoleRequest } from '../../api';
import {
  errorMessage,
  formKeys,
  type IrsaFieldUiOptions,
  previewOnce,
  type ProblemPlace,
  problemsAt,
  roleRequestOf,
} from './formValues';

/**
 * A field's Review-time check: the whole request, with this field's value, through the
 * backend's preview (the checks the actions run), and the problems it reports on
 * `problemFields`, in the actions' words. `first` may refuse sooner, with its own words.
 */
export function previewValidator(
  field: 'accountId' | 'namespace' | 'roleName' | 'serviceAccount',
  problemFields: ProblemPlace[],
  first?: (
    api: IrsaApi,
    request: IrsaRoleRequest,
    value: string,
  ) => Promise<string | undefined>,
): CustomFieldValidator<string, IrsaFieldUiOptions> {
  return async (value, validation, context) => {
    if (!value) return;
    const api = context.apiHolder.get(irsaApiRef);
    const request = roleRequestOf(
      context.formData,
      formKeys(context.uiSchema),
      {
        [field]: value,
      },
    );
    if (!api || !request) return;
    try {
      const refusal = await first?.(api, request, value);
      if (refusal) {
        validation.addError(refusal);
        return;
      }
      const preview = await previewOnce(api, request);
      problemFields
        .flatMap(f => problemsAt(preview, f))
        .forEach(m => validation.addError(m));
    } catch (e) {
      validation.addError(errorMessage(e));
    }
  };
}
