import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useEffect } from 'react';
import { formKeys, type IrsaFieldUiOptions, roleRequestOf } from './formValues';
import { useRolePreview } from './useRolePreview';

/** What the review page shows of the role a request makes. */
export interface IrsaRolePreviewValue {
  roleName: string;
  roleArn: string;
  trustSubject: string;
}

/**
 * Keeps the final role name, ARN and trust subject of the request in the form's data, so
 * the review page lists them (the role name the user typed lacks the platform's prefix).
 * Shows nothing itself (a hidden input): place it with `ui:widget: hidden`; IrsaRoleNameField shows the
 * same preview as you type. Empty while the request has problems or is being typed.
 */
export function IrsaRolePreview(
  props: FieldExtensionComponentProps<
    IrsaRolePreviewValue | undefined,
    IrsaFieldUiOptions
  >,
) {
  const { formData, onChange, uiSchema, idSchema } = props;
  // The role's name, ARN and trust subject do not depend on the policies: leaving them out
  // keeps the value settled while the developer picks presets and types their parameters,
  // so the review page has it however quickly Review is pressed after.
  const whole = roleRequestOf(props.formContext?.formData, formKeys(uiSchema));
  const request = whole
    ? { ...whole, presets: undefined, policyArns: undefined }
    : undefined;
  const { preview, pending } = useRolePreview(
    request?.roleName ? request : undefined,
  );
  const next =
    preview && !pending && preview.problems.length === 0 && preview.roleArn
      ? {
          roleName: preview.roleName,
          roleArn: preview.roleArn,
          trustSubject: preview.trustSubject,
        }
      : undefined;
  // While typing has not settled this holds nothing rather than the role of an older name:
  // the review page then lacks these lines instead of showing a wrong ARN.
  // Compared as JSON: both are new objects on every render.
  const wanted = next ? JSON.stringify(next) : '';
  const held = formData ? JSON.stringify(formData) : '';
  useEffect(() => {
    if (wanted !== held) onChange(wanted ? JSON.parse(wanted) : undefined);
  }, [wanted, held, onChange]);
  // The value the form holds, as a hidden input does in any form.
  return <input type="hidden" id={idSchema?.$id} value={held} readOnly />;
}
