import { waitFor } from '@testing-library/react';
import type { IrsaRoleRequest } from '../../api';
import { IrsaRolePreview } from './IrsaRolePreview';
import { forgetPreviews } from './formValues';
import { ENTITY_REF, renderField } from './__testUtils__/renderField';

const form = {
  entity: ENTITY_REF,
  cluster: 'prod',
  namespace: 'payments',
  serviceAccount: 'payments-api',
  roleName: 'payments-api',
};

beforeEach(() => forgetPreviews());

describe('IrsaRolePreview', () => {
  it('keeps the final role name, ARN and trust subject for the review page', async () => {
    const { onChange, container } = await renderField(IrsaRolePreview, {
      api: {
        previewRole: async (r: IrsaRoleRequest) => ({
          roleName: `irsa-${r.roleName}`,
          roleNamePrefix: 'irsa-',
          path: '/irsa/',
          roleArn: `arn:aws:iam::111111111111:role/irsa/irsa-${r.roleName}`,
          trustSubject: 'system:serviceaccount:payments:payments-api',
          problems: [],
        }),
      },
      key: 'rolePreview',
      form,
    });
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({
        roleName: 'irsa-payments-api',
        roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-payments-api',
        trustSubject: 'system:serviceaccount:payments:payments-api',
      }),
    );
    // Nothing visible: a hidden input holds the value.
    expect(container.querySelector('input')).toHaveAttribute('type', 'hidden');
    expect(container).toHaveTextContent('');
  });

  it('holds nothing while the request has problems', async () => {
    const { onChange } = await renderField(IrsaRolePreview, {
      api: {
        previewRole: async () => ({
          roleName: 'irsa-payments-api',
          roleNamePrefix: 'irsa-',
          path: '/irsa/',
          roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-payments-api',
          trustSubject: 'system:serviceaccount:kube-system:payments-api',
          problems: [{ field: 'namespace', message: 'denied' }],
        }),
      },
      key: 'rolePreview',
      form: { ...form, namespace: 'kube-system' },
      formData: {
        roleName: 'irsa-old',
        roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-old',
        trustSubject: 'system:serviceaccount:payments:old',
      },
    });
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith(undefined));
  });
});
