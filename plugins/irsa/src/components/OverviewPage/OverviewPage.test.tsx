import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { configApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  createCheckResult,
  type OrphanRole,
  type OverviewItem,
  type OverviewPage as OverviewPageData,
  type RoleGoneServiceAccount,
} from '@backstage-irsa/plugin-irsa-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type IrsaApi, irsaApiRef } from '../../api';
import { removeAccessTemplateRouteRef } from '../../routes';
import { OverviewPage } from './OverviewPage';

const ROLE = 'arn:aws:iam::111111111111:role/irsa/irsa-payments-api';

const rows: OverviewItem[] = [
  {
    cluster: 'prod',
    namespace: 'payments',
    serviceAccount: 'payments-api',
    entityRef: 'component:default/payments-api',
    roleArn: ROLE,
    overall: 'broken',
    problem: createCheckResult('F3', 'fail', 'No statement allows it.'),
  },
  {
    cluster: 'prod',
    namespace: 'batch',
    serviceAccount: 'worker',
    overall: 'trusted',
  },
];

function page(
  query: { page: number; pageSize: number },
  items = rows,
): OverviewPageData {
  return {
    items,
    total: items.length,
    page: query.page,
    pageSize: query.pageSize,
    checks: [],
  };
}

const orphan: OrphanRole = {
  accountId: '111111111111',
  roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-gone',
  roleName: 'irsa-gone',
  entityRef: 'component:default/gone',
  cluster: 'prod',
  namespace: 'legacy',
  serviceAccount: 'gone',
};

const roleGone: RoleGoneServiceAccount = {
  cluster: 'prod',
  namespace: 'ledger',
  serviceAccount: 'reader',
  entityRef: 'component:default/ledger',
  roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-ledger',
  check: createCheckResult(
    'P4',
    'fail',
    'Role arn:aws:iam::111111111111:role/irsa/irsa-ledger does not exist.',
  ),
};

function fakeApi(overrides: Partial<IrsaApi> = {}) {
  return {
    getClusters: jest.fn(async () => [
      { name: 'prod', accountId: '111111111111', region: 'eu-west-1' },
      { name: 'staging', accountId: '111111111111', region: 'eu-west-1' },
    ]),
    getOverview: jest.fn(async (q: any) => page(q)),
    exportOverview: jest.fn(async (format: 'csv' | 'json') => ({
      filename: `irsa-overview.${format}`,
      content: new Blob(['cluster\r\n']),
    })),
    getOrphanRoles: jest.fn(async (q: any) => ({
      items: [
        orphan,
        {
          accountId: '222222222222',
          roleArn: 'arn:aws:iam::222222222222:role/irsa/irsa-made-by-hand',
          roleName: 'irsa-made-by-hand',
          entityRef: 'component:default/by-hand',
        },
      ],
      total: 2,
      page: q.page,
      pageSize: q.pageSize,
      checks: [],
    })),
    getRoleGoneServiceAccounts: jest.fn(async (q: any) => ({
      items: [roleGone],
      total: 1,
      page: q.page,
      pageSize: q.pageSize,
      checks: [],
    })),
    ...overrides,
  };
}

async function renderPage(api: Partial<IrsaApi>, config: object = {}) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [irsaApiRef, api],
        [configApiRef, mockApis.config({ data: config })],
      ]}
    >
      <OverviewPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/create/templates/:namespace/:templateName':
          removeAccessTemplateRouteRef,
      },
    },
  );
}

// material-table renders slowly in jsdom.
jest.setTimeout(30_000);

describe('OverviewPage', () => {
  it('lists every binding with owner, role, status and the failing check', async () => {
    const api = fakeApi();
    await renderPage(api);
    const row = (await screen.findByText('payments/payments-api')).closest(
      'tr',
    )!;
    expect(within(row).getByText('prod')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: /payments-api/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(within(row).getByText(ROLE)).toBeInTheDocument();
    expect(within(row).getByText('Broken')).toBeInTheDocument();
    expect(
      within(row).getByText(`F3: ${rows[0].problem!.title}`),
    ).toBeInTheDocument();
    const other = screen.getByText('batch/worker').closest('tr')!;
    expect(within(other).getByText('no owner recorded')).toBeInTheDocument();
    expect(within(other).getByText('Trusted')).toBeInTheDocument();
    // The first page, served by the backend's cache.
    expect(api.getOverview).toHaveBeenCalledWith({
      page: 1,
      pageSize: 20,
      cluster: undefined,
      namespace: undefined,
      entityRef: undefined,
      status: undefined,
      fresh: false,
    });
  });

  it('filters by namespace, entity, cluster and status, each starting from page 1', async () => {
    const api = fakeApi();
    await renderPage(api);
    await screen.findByText('payments/payments-api');

    const namespace = screen.getByRole('textbox', { name: 'Namespace' });
    await userEvent.type(namespace, 'Payments{Enter}');
    // Refused where it is typed, as the API would refuse it; nothing asked.
    expect(
      await screen.findByText(/Payments/, { selector: 'p' }),
    ).toBeInTheDocument();
    expect(api.getOverview).toHaveBeenCalledTimes(1);
    await userEvent.clear(namespace);
    await userEvent.type(namespace, 'payments{Enter}');
    await waitFor(() =>
      expect(api.getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ page: 1, namespace: 'payments' }),
      ),
    );

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Owner entity' }),
      'component:default/payments-api{Enter}',
    );
    await waitFor(() =>
      expect(api.getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({
          namespace: 'payments',
          entityRef: 'component:default/payments-api',
        }),
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: /Any cluster/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'staging' }),
    );
    await userEvent.click(screen.getByRole('button', { name: /Any status/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Broken' }),
    );
    await waitFor(() =>
      expect(api.getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({
          page: 1,
          cluster: 'staging',
          status: ['broken'],
        }),
      ),
    );
  });

  it('sorts on the backend by the column clicked, and exports in that order', async () => {
    const api = fakeApi();
    await renderPage(api);
    await screen.findByText('payments/payments-api');
    const statusHeader = () =>
      within(screen.getByRole('columnheader', { name: 'Status' })).getByText(
        'Status',
      );
    await userEvent.click(statusHeader());
    await waitFor(() =>
      expect(api.getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'status', order: 'asc' }),
      ),
    );
    await userEvent.click(statusHeader());
    await waitFor(() =>
      expect(api.getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'status', order: 'desc' }),
      ),
    );
    // The role and the check are not sortable (the API has no such order).
    const calls = (api.getOverview as jest.Mock).mock.calls.length;
    await userEvent.click(
      within(screen.getByRole('columnheader', { name: 'Role ARN' })).getByText(
        'Role ARN',
      ),
    );
    expect(api.getOverview).toHaveBeenCalledTimes(calls);

    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((b: Blob) => {
      created.push(b);
      return 'blob:overview';
    });
    URL.revokeObjectURL = jest.fn();
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function (this: HTMLAnchorElement) {
        expect(this.download).toBe('irsa-overview.csv');
        expect(this.href).toBe('blob:overview');
      });
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(api.exportOverview).toHaveBeenCalledWith('csv', {
      cluster: undefined,
      namespace: undefined,
      entityRef: undefined,
      status: undefined,
      sort: 'status',
      order: 'desc',
    });
    expect(await created[0].text()).toBe('cluster\r\n');
    click.mockRestore();
  });

  it('reads every peer anew on Refresh, once', async () => {
    const api = fakeApi();
    await renderPage(api);
    await screen.findByText('payments/payments-api');
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() =>
      expect(api.getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ fresh: true }),
      ),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Namespace' }),
      'batch{Enter}',
    );
    await waitFor(() =>
      expect(api.getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ namespace: 'batch', fresh: false }),
      ),
    );
  });

  it('lists the orphans with links to Remove AWS access, prefilled', async () => {
    const api = fakeApi();
    await renderPage(api);
    await userEvent.click(await screen.findByRole('tab', { name: 'Orphans' }));
    const roleRow = (await screen.findByText(orphan.roleArn)).closest('tr')!;
    expect(
      within(roleRow).getByText('component:default/gone'),
    ).toBeInTheDocument();
    expect(within(roleRow).getByText('prod · legacy/gone')).toBeInTheDocument();
    // What is not known is said so.
    expect(
      await screen.findByText('ServiceAccount unknown'),
    ).toBeInTheDocument();
    const removeRole = within(roleRow).getByRole('button', {
      name: 'Remove AWS access',
    });
    const href = removeRole.getAttribute('href')!;
    expect(href.split('?')[0]).toBe(
      '/create/templates/default/remove-aws-access',
    );
    expect(
      JSON.parse(new URLSearchParams(href.split('?')[1]).get('formData')!),
    ).toEqual({
      entity: 'component:default/gone',
      cluster: 'prod',
      namespace: 'legacy',
      serviceAccount: 'gone',
      roleArn: orphan.roleArn,
    });

    const goneRow = (await screen.findByText('ledger/reader')).closest('tr')!;
    expect(
      within(goneRow).getByText('P4: Annotated role exists'),
    ).toBeInTheDocument();
    expect(
      within(goneRow).getByRole('button', { name: 'Remove AWS access' }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining(encodeURIComponent('"serviceAccount":"reader"')),
    );
  });

  it('opens the template irsa.removeAccessTemplate names', async () => {
    await renderPage(fakeApi(), {
      irsa: { removeAccessTemplate: 'template:platform/retire-irsa' },
    });
    await userEvent.click(await screen.findByRole('tab', { name: 'Orphans' }));
    await screen.findByText(orphan.roleArn);
    expect(
      screen.getAllByRole('button', { name: 'Remove AWS access' })[0],
    ).toHaveAttribute(
      'href',
      expect.stringMatching(/^\/create\/templates\/platform\/retire-irsa\?/),
    );
  });

  it('says what could not be read', async () => {
    await renderPage(
      fakeApi({
        getOverview: async (q: any) => ({
          ...page(q),
          checks: [
            createCheckResult(
              'P8',
              'unknown',
              'Could not list ServiceAccounts on cluster staging: timeout',
            ),
          ],
        }),
      }),
    );
    expect(
      await screen.findByText(
        'P8: Could not list ServiceAccounts on cluster staging: timeout',
      ),
    ).toBeInTheDocument();
  });

  it('tells a reader without irsa.overview.read that they may not see it', async () => {
    const forbidden = Object.assign(new Error('Not allowed'), {
      name: 'ResponseError',
      statusCode: 403,
    });
    await renderPage(
      fakeApi({
        getOverview: async () => {
          throw forbidden;
        },
      }),
    );
    expect(
      await screen.findByText(/You may not see the AWS access overview/),
    ).toBeInTheDocument();
    expect(screen.getByText(/irsa\.overview\.read/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Export CSV' })).toBeNull();
  });
});
