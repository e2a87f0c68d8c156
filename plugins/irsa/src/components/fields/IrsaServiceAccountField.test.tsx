import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IrsaRolePreviewResult, IrsaRoleRequest } from '../../api';
import {
  IrsaServiceAccountField,
  validateIrsaServiceAccount,
} from './IrsaServiceAccountField';
import { forgetPreviews } from './formValues';
import { ENTITY_REF, renderField, validate } from './__testUtils__/renderField';

const form = {
  entity: ENTITY_REF,
  cluster: 'prod',
  namespace: 'payments',
  roleName: 'payments-api',
};

const BAD_NAME =
  'The ServiceAccount name "Payments_API" must be a DNS-1123 subdomain: lower-case letters, digits, "-" and ".".';

/** The backend's preview: refuses upper-case ServiceAccount names, as the validators do. */
const previewRole = jest.fn(
  async (r: IrsaRoleRequest): Promise<IrsaRolePreviewResult> => ({
    roleName: `irsa-${r.roleName}`,
    roleNamePrefix: 'irsa-',
    path: '/irsa/',
    roleArn: `arn:aws:iam::111111111111:role/irsa/irsa-${r.roleName}`,
    trustSubject: `system:serviceaccount:${r.namespace}:${r.serviceAccount}`,
    problems: /[A-Z_]/.test(r.serviceAccount)
      ? [{ field: 'serviceAccount', message: BAD_NAME }]
      : [],
  }),
);

beforeEach(() => forgetPreviews());

describe('IrsaServiceAccountField', () => {
  it("starts on the service's name, as the card's button fills it", async () => {
    const { onChange } = await renderField(IrsaServiceAccountField, {
      api: { previewRole },
      key: 'serviceAccount',
      title: 'ServiceAccount',
      form,
    });
    expect(onChange).toHaveBeenCalledWith('payments-api');
    expect(screen.getByTestId('irsa-service-account')).toHaveValue(
      'payments-api',
    );
  });

  it('keeps what the developer typed, and says at the field what the actions would refuse', async () => {
    await renderField(IrsaServiceAccountField, {
      api: { previewRole },
      key: 'serviceAccount',
      title: 'ServiceAccount',
      form,
    });
    const input = screen.getByTestId('irsa-service-account');
    await userEvent.clear(input);
    await userEvent.type(input, 'Payments_API');
    expect(await screen.findByText(BAD_NAME)).toBeInTheDocument();
    expect(input).toHaveValue('Payments_API');
  });

  it('refuses on Review in the same words', async () => {
    expect(
      await validate(
        validateIrsaServiceAccount,
        'Payments_API',
        { previewRole },
        form,
      ),
    ).toEqual([BAD_NAME]);
    expect(
      await validate(
        validateIrsaServiceAccount,
        'payments-api',
        { previewRole },
        form,
      ),
    ).toEqual([]);
  });
});
