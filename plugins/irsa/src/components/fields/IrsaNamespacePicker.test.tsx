import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IrsaFormNamespace } from '../../api';
import {
  IrsaNamespacePicker,
  validateIrsaNamespace,
} from './IrsaNamespacePicker';
import { forgetPreviews } from './formValues';
import { ENTITY_REF, renderField, validate } from './__testUtils__/renderField';

const KUBE_SYSTEM_REASON =
  'Namespace "kube-system" may not receive AWS roles: it matches "kube-*" in irsa.guardrails.deniedNamespaces.';
const ORDERS_REASON =
  'Namespace "orders" is not the entity\'s namespace: its backstage.io/kubernetes-namespace annotation says "payments".';

const namespaces: IrsaFormNamespace[] = [
  { name: 'kube-system', allowed: false, reason: KUBE_SYSTEM_REASON },
  { name: 'orders', allowed: false, reason: ORDERS_REASON },
  { name: 'payments', allowed: true },
];

const form = { entity: ENTITY_REF, cluster: 'prod' };

beforeEach(() => forgetPreviews());

describe('IrsaNamespacePicker', () => {
  it("lists the cluster's namespaces for the entity, refused ones disabled with the reason", async () => {
    const getFormNamespaces = jest.fn(async () => namespaces);
    await renderField(IrsaNamespacePicker, {
      api: { getFormNamespaces },
      key: 'namespace',
      title: 'Namespace',
      form,
      formData: 'payments',
    });
    await userEvent.click(
      await screen.findByRole('button', { name: /Namespace/ }),
    );
    const listbox = await screen.findByRole('listbox');
    const options = within(listbox).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      `kube-system: not allowed${KUBE_SYSTEM_REASON}`,
      `orders: not allowed${ORDERS_REASON}`,
      'payments',
    ]);
    expect(options.map(o => o.getAttribute('aria-disabled'))).toEqual([
      'true',
      'true',
      'false',
    ]);
    expect(getFormNamespaces).toHaveBeenCalledWith('prod', ENTITY_REF);
  });

  it("starts on the entity's backstage.io/kubernetes-namespace when it may use it", async () => {
    const { onChange } = await renderField(IrsaNamespacePicker, {
      api: {
        getFormNamespaces: async () => [
          ...namespaces,
          { name: 'payments-batch', allowed: true },
        ],
      },
      key: 'namespace',
      form,
    });
    await screen.findByText('payments');
    expect(onChange).toHaveBeenCalledWith('payments');
  });

  it('shows the refusal at the field for a prefilled namespace the entity may not use', async () => {
    await renderField(IrsaNamespacePicker, {
      api: { getFormNamespaces: async () => namespaces },
      key: 'namespace',
      form,
      formData: 'kube-system',
    });
    expect(await screen.findByText(KUBE_SYSTEM_REASON)).toBeInTheDocument();
  });

  it('shows the server refusal (no permission) at the field', async () => {
    const refusal = Object.assign(new Error('Request failed with 403'), {
      body: {
        error: {
          message:
            'entityRef: user:default/guest may not request AWS access for component:default/payments-api (permission irsa.binding.create)',
        },
      },
    });
    await renderField(IrsaNamespacePicker, {
      api: {
        getFormNamespaces: async () => {
          throw refusal;
        },
      },
      key: 'namespace',
      form,
    });
    expect(
      await screen.findByText(
        /may not request AWS access for component:default\/payments-api/,
      ),
    ).toBeInTheDocument();
  });

  it('asks for the service and the cluster first', async () => {
    const getFormNamespaces = jest.fn();
    await renderField(IrsaNamespacePicker, {
      api: { getFormNamespaces },
      key: 'namespace',
      form: { entity: ENTITY_REF },
    });
    expect(
      await screen.findByText('Choose the service and the cluster first.'),
    ).toBeInTheDocument();
    expect(getFormNamespaces).not.toHaveBeenCalled();
  });

  it('refuses on Review a denied, a foreign and a missing namespace, each in words', async () => {
    const api = {
      getFormNamespaces: async () => namespaces,
      previewRole: jest.fn(async () => ({
        roleName: 'irsa-x',
        roleNamePrefix: 'irsa-',
        path: '/',
        roleArn: 'arn:aws:iam::111111111111:role/irsa-x',
        trustSubject: 'system:serviceaccount:payments:x',
        problems: [],
      })),
    };
    expect(
      await validate(validateIrsaNamespace, 'kube-system', api, form),
    ).toEqual([KUBE_SYSTEM_REASON]);
    expect(await validate(validateIrsaNamespace, 'orders', api, form)).toEqual([
      ORDERS_REASON,
    ]);
    expect(await validate(validateIrsaNamespace, 'billing', api, form)).toEqual(
      [
        'Namespace "billing" does not exist on cluster prod; pick one from the list (namespaces are created by your platform, not by this template).',
      ],
    );
    expect(
      await validate(validateIrsaNamespace, 'payments', api, form),
    ).toEqual([]);
  });
});
