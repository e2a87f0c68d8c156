import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IrsaAccountPicker, validateIrsaAccount } from './IrsaAccountPicker';
import { forgetPreviews } from './formValues';
import { ENTITY_REF, renderField, validate } from './__testUtils__/renderField';

const clusters = [
  {
    name: 'prod',
    accountId: '111111111111',
    region: 'eu-west-1',
    allowedAccountIds: ['222222222222', '333333333333'],
  },
  { name: 'dev', accountId: '444444444444', region: 'eu-west-1' },
];

const form = {
  entity: ENTITY_REF,
  cluster: 'prod',
  namespace: 'payments',
  serviceAccount: 'payments-api',
  roleName: 'payments-api',
};

beforeEach(() => forgetPreviews());

describe('IrsaAccountPicker', () => {
  it("offers the chosen cluster's own account (empty) and the accounts it allows", async () => {
    const { onChange } = await renderField(IrsaAccountPicker, {
      api: { getClusters: async () => clusters },
      key: 'accountId',
      title: 'AWS account',
      form,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: /AWS account/ }),
    );
    const listbox = await screen.findByRole('listbox');
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      "The cluster's own account (111111111111)",
      'Account 222222222222',
      'Account 333333333333',
    ]);
    await userEvent.click(within(listbox).getByText('Account 333333333333'));
    expect(onChange).toHaveBeenLastCalledWith('333333333333');
  });

  it('asks for a cluster first', async () => {
    await renderField(IrsaAccountPicker, {
      api: { getClusters: async () => clusters },
      key: 'accountId',
      form: { entity: ENTITY_REF },
    });
    expect(
      (await screen.findAllByText('Choose a cluster first.')).length,
    ).toBeGreaterThan(0);
  });

  it("refuses on Review an account the cluster does not allow, in the backend's words", async () => {
    const previewRole = jest.fn(async () => ({
      roleName: 'irsa-payments-api',
      roleNamePrefix: 'irsa-',
      path: '/irsa/',
      roleArn: 'arn:aws:iam::555555555555:role/irsa/irsa-payments-api',
      trustSubject: 'system:serviceaccount:payments:payments-api',
      problems: [
        {
          field: 'accountId',
          message:
            'Account 555555555555 is not an account of cluster "prod" (allowed: 111111111111, 222222222222, 333333333333); a platform admin can add it to irsa.clusters[].allowedAccountIds.',
        },
        { field: 'roleName', message: 'not this field' },
      ],
    }));
    const errors = await validate(
      validateIrsaAccount,
      '555555555555',
      { previewRole },
      form,
    );
    expect(errors).toEqual([
      expect.stringContaining(
        'Account 555555555555 is not an account of cluster "prod"',
      ),
    ]);
    expect(previewRole).toHaveBeenCalledWith({
      entityRef: ENTITY_REF,
      cluster: 'prod',
      namespace: 'payments',
      serviceAccount: 'payments-api',
      roleName: 'payments-api',
      accountId: '555555555555',
    });
    // Empty is the cluster's own account: nothing to check.
    expect(
      await validate(validateIrsaAccount, '', { previewRole }, form),
    ).toEqual([]);
  });
});
