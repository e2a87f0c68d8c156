import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IrsaApi, IrsaRoleRequest } from '../../api';
import { irsaApiRef } from '../../api';
import { forgetPreviews } from './formValues';
import { IrsaAccountPicker, validateIrsaAccount } from './IrsaAccountPicker';
import { IrsaClusterPicker, validateIrsaCluster } from './IrsaClusterPicker';
import {
  IrsaNamespacePicker,
  validateIrsaNamespace,
} from './IrsaNamespacePicker';
import { IrsaPolicyPicker, validateIrsaPolicies } from './IrsaPolicyPicker';
import { IrsaRoleNameField, validateIrsaRoleName } from './IrsaRoleNameField';
import { IrsaRolePreview } from './IrsaRolePreview';
import { ENTITY_REF, paymentsEntity } from './__testUtils__/renderField';

// The fields inside the scaffolder's own form (Stepper), with the parameters of
// examples/templates/request-aws-access (the entity picker replaced by a plain field): what
// each field reads of the others, Review's validations, and the review page.

const extensions = [
  {
    name: 'IrsaClusterPicker',
    component: IrsaClusterPicker,
    validation: validateIrsaCluster,
  },
  {
    name: 'IrsaAccountPicker',
    component: IrsaAccountPicker,
    validation: validateIrsaAccount,
  },
  {
    name: 'IrsaNamespacePicker',
    component: IrsaNamespacePicker,
    validation: validateIrsaNamespace,
  },
  {
    name: 'IrsaPolicyPicker',
    component: IrsaPolicyPicker,
    validation: validateIrsaPolicies,
  },
  {
    name: 'IrsaRoleNameField',
    component: IrsaRoleNameField,
    validation: validateIrsaRoleName,
  },
  { name: 'IrsaRolePreview', component: IrsaRolePreview },
];

const manifest = {
  title: 'Request AWS access',
  steps: [
    {
      title: 'Which service',
      schema: {
        required: ['entity', 'cluster', 'namespace'],
        properties: {
          entity: { title: 'Service', type: 'string', default: ENTITY_REF },
          cluster: {
            title: 'Cluster',
            type: 'string',
            'ui:field': 'IrsaClusterPicker',
          },
          namespace: {
            title: 'Namespace',
            type: 'string',
            'ui:field': 'IrsaNamespacePicker',
          },
          accountId: {
            title: 'AWS account',
            type: 'string',
            'ui:field': 'IrsaAccountPicker',
          },
        },
      },
    },
    {
      title: 'What access',
      schema: {
        required: ['serviceAccount', 'roleName'],
        properties: {
          serviceAccount: {
            title: 'ServiceAccount',
            type: 'string',
            default: 'payments-api',
          },
          roleName: {
            title: 'Role name',
            type: 'string',
            'ui:field': 'IrsaRoleNameField',
          },
          policies: {
            title: 'What the role may do',
            type: 'object',
            'ui:field': 'IrsaPolicyPicker',
          },
          rolePreview: {
            title: 'The role that will be created',
            type: 'object',
            'ui:field': 'IrsaRolePreview',
            'ui:widget': 'hidden',
            properties: {
              roleName: { title: 'IAM role', type: 'string' },
              roleArn: { title: 'Role ARN', type: 'string' },
              trustSubject: {
                title: 'Only this ServiceAccount may assume it',
                type: 'string',
              },
            },
          },
        },
      },
    },
  ],
};

const KUBE_SYSTEM =
  'Namespace "kube-system" may not receive AWS roles: it matches "kube-*" in irsa.guardrails.deniedNamespaces.';

function backend(): Partial<IrsaApi> {
  return {
    getClusters: async () => [
      {
        name: 'sandbox',
        accountId: '111111111111',
        region: 'eu-west-1',
        allowedAccountIds: [],
      },
    ],
    getFormNamespaces: async () => [
      { name: 'kube-system', allowed: false, reason: KUBE_SYSTEM },
      { name: 'payments', allowed: true },
    ],
    getFormPolicies: async () => ({
      presets: [],
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    }),
    previewRole: async (r: IrsaRoleRequest) => ({
      roleName: `irsa-${r.roleName}`,
      roleNamePrefix: 'irsa-',
      path: '/irsa/',
      roleArn: `arn:aws:iam::111111111111:role/irsa/irsa-${r.roleName}`,
      trustSubject: `system:serviceaccount:${r.namespace}:${r.serviceAccount}`,
      problems:
        r.namespace === 'kube-system'
          ? [{ field: 'namespace', message: KUBE_SYSTEM }]
          : [],
    }),
  };
}

async function renderForm(initialState: Record<string, string> = {}) {
  const onCreate = jest.fn(async () => {});
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [irsaApiRef, backend()],
        [catalogApiRef, catalogApiMock({ entities: [paymentsEntity] })],
      ]}
    >
      <Stepper
        manifest={manifest as any}
        extensions={extensions as any}
        onCreate={onCreate}
        initialState={initialState}
      />
    </TestApiProvider>,
  );
  return onCreate;
}

beforeEach(() => forgetPreviews());

describe('the IRSA fields in the scaffolder form', () => {
  // The whole scaffolder form in jsdom, stepped through to its review: several seconds on a
  // busy 2-core machine, beyond Jest's 5 s default. A bound, not a timing assertion.
  jest.setTimeout(60_000);

  it('fills the form from the service and shows the real role on the review page', async () => {
    const onCreate = await renderForm();
    // The only cluster, and the service's own namespace, are chosen.
    await screen.findByText('sandbox (eu-west-1, account 111111111111)');
    await screen.findByText('payments');
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));

    // The role name starts on the service's name, previewed with the prefix.
    await screen.findByText('irsa-payments-api');
    await userEvent.click(
      screen.getByRole('checkbox', { name: /AmazonS3ReadOnlyAccess/ }),
    );
    // The hidden preview field holds the role once the preview settled.
    await waitFor(() =>
      expect(
        document.querySelector<HTMLInputElement>('#root_rolePreview')?.value,
      ).toContain('irsa-payments-api'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));

    expect(await screen.findByText('IAM role')).toBeInTheDocument();
    expect(
      screen.getByText('arn:aws:iam::111111111111:role/irsa/irsa-payments-api'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('system:serviceaccount:payments:payments-api'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        entity: ENTITY_REF,
        cluster: 'sandbox',
        namespace: 'payments',
        serviceAccount: 'payments-api',
        roleName: 'payments-api',
        policies: {
          presets: [],
          policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
        },
      }),
    );
  });

  it('refuses a denied namespace at the field, before the next step', async () => {
    await renderForm({ namespace: 'kube-system' });
    await screen.findAllByText(KUBE_SYSTEM);
    await userEvent.click(await screen.findByRole('button', { name: 'Next' }));
    // Still on the first step, the reason at the namespace field.
    await waitFor(() =>
      expect(screen.getAllByText(KUBE_SYSTEM).length).toBeGreaterThan(1),
    );
    expect(screen.queryByTestId('irsa-role-name')).not.toBeInTheDocument();
  });
});
