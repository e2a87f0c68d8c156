import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IrsaRolePreviewResult, IrsaRoleRequest } from '../../api';
import { IrsaRoleNameField, validateIrsaRoleName } from './IrsaRoleNameField';
import { forgetPreviews } from './formValues';
import { ENTITY_REF, renderField, validate } from './__testUtils__/renderField';

const form = {
  entity: ENTITY_REF,
  cluster: 'prod',
  namespace: 'payments',
  serviceAccount: 'payments-api',
};

const TOO_LONG =
  'The role name "irsa-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" (prefix "irsa-" + name "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") is 65 characters long: IAM allows at most 64, so with this prefix the name may have at most 59 characters (for example "irsa-payments-api").';

/** A backend preview as FormService computes it, for prefix irsa- and path /irsa/. */
function backendPreview(request: IrsaRoleRequest): IrsaRolePreviewResult {
  const roleName = request.roleName.startsWith('irsa-')
    ? request.roleName
    : `irsa-${request.roleName}`;
  return {
    roleName,
    roleNamePrefix: 'irsa-',
    path: '/irsa/',
    roleArn: `arn:aws-cn:iam::111111111111:role/irsa/${roleName}`,
    trustSubject: `system:serviceaccount:${request.namespace}:${request.serviceAccount}`,
    problems:
      roleName.length > 64
        ? [{ field: 'roleName', code: 'F22', message: TOO_LONG } as any]
        : [],
  };
}

beforeEach(() => forgetPreviews());

describe('IrsaRoleNameField', () => {
  it("starts on the service's name and previews the final name, path, ARN and trust subject", async () => {
    const previewRole = jest.fn(async (r: IrsaRoleRequest) =>
      backendPreview(r),
    );
    const { onChange } = await renderField(IrsaRoleNameField, {
      api: { previewRole },
      key: 'roleName',
      title: 'Role name',
      form,
    });
    expect(onChange).toHaveBeenCalledWith('payments-api');
    const preview = await screen.findByTestId('irsa-role-preview');
    expect(preview).toHaveTextContent('Role name in IAM: irsa-payments-api');
    expect(preview).toHaveTextContent('Path: /irsa/');
    expect(preview).toHaveTextContent(
      'ARN: arn:aws-cn:iam::111111111111:role/irsa/irsa-payments-api',
    );
    expect(preview).toHaveTextContent(
      'Only this ServiceAccount may assume it: system:serviceaccount:payments:payments-api',
    );
    // The prefix the platform adds is shown before what you type.
    expect(screen.getByText('irsa-')).toBeInTheDocument();
    expect(previewRole).toHaveBeenCalledWith({
      entityRef: ENTITY_REF,
      cluster: 'prod',
      namespace: 'payments',
      serviceAccount: 'payments-api',
      roleName: 'payments-api',
    });
  });

  it('checks the limits as you type and shows the problem at the field', async () => {
    const previewRole = jest.fn(async (r: IrsaRoleRequest) =>
      backendPreview(r),
    );
    await renderField(IrsaRoleNameField, {
      api: { previewRole },
      key: 'roleName',
      form,
      formData: 'api',
    });
    await screen.findByText('irsa-api');
    const input = screen.getByTestId('irsa-role-name');
    await userEvent.clear(input);
    await userEvent.type(input, 'x'.repeat(60));
    expect(await screen.findByText(TOO_LONG)).toBeInTheDocument();
    await userEvent.type(input, '{Backspace}');
    await waitFor(() =>
      expect(screen.queryByText(TOO_LONG)).not.toBeInTheDocument(),
    );
  });

  it('shows a ServiceAccount name the actions would refuse at the field too', async () => {
    const message =
      'The ServiceAccount name "Payments_API" is not a DNS-1123 subdomain: use lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit (for example "payments-api").';
    await renderField(IrsaRoleNameField, {
      api: {
        previewRole: async r => ({
          ...backendPreview(r),
          problems: [{ field: 'serviceAccount', message }],
        }),
      },
      key: 'roleName',
      form: { ...form, serviceAccount: 'Payments_API' },
      formData: 'payments-api',
    });
    expect(await screen.findByText(message)).toBeInTheDocument();
  });

  it('refuses on Review what the actions would, in their words', async () => {
    const api = {
      previewRole: async (r: IrsaRoleRequest) => backendPreview(r),
    };
    expect(
      await validate(validateIrsaRoleName, 'x'.repeat(60), api, form),
    ).toEqual([TOO_LONG]);
    expect(
      await validate(validateIrsaRoleName, 'payments-api', api, form),
    ).toEqual([]);
  });
});
