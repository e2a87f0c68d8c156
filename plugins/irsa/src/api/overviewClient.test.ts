import { MockFetchApi } from '@backstage/test-utils';
import { IrsaClient } from './IrsaClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
};

function client(response: () => Response) {
  const calls: string[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any) => {
      calls.push(String(input));
      return response();
    },
  });
  return { client: new IrsaClient({ discoveryApi, fetchApi }), calls };
}

const empty = () =>
  new Response(
    JSON.stringify({ items: [], total: 0, page: 1, pageSize: 50, checks: [] }),
    { status: 200 },
  );

describe('IrsaClient, the overview', () => {
  it('asks for a page with the filters and order given, leaving out empty ones', async () => {
    const { client: c, calls } = client(empty);
    await c.getOverview({ page: 2, pageSize: 20 });
    await c.getOverview({
      page: 1,
      pageSize: 50,
      cluster: 'prod',
      namespace: 'payments',
      entityRef: 'component:default/payments-api',
      status: ['broken', 'unknown'],
      sort: 'status',
      order: 'desc',
      fresh: true,
    });
    expect(calls).toEqual([
      'http://backend/api/irsa/overview?page=2&pageSize=20',
      'http://backend/api/irsa/overview?cluster=prod&namespace=payments&entityRef=component%3Adefault%2Fpayments-api&status=broken%2Cunknown&sort=status&order=desc&fresh=true&page=1&pageSize=50',
    ]);
  });

  it('asks for each kind of orphan', async () => {
    const { client: c, calls } = client(empty);
    await c.getOrphanRoles({ page: 1, pageSize: 20 });
    await c.getRoleGoneServiceAccounts({ page: 3, pageSize: 10, fresh: true });
    expect(calls).toEqual([
      'http://backend/api/irsa/overview/orphans?page=1&pageSize=20&kind=roles',
      'http://backend/api/irsa/overview/orphans?page=3&pageSize=10&fresh=true&kind=serviceAccounts',
    ]);
  });

  it('downloads the export as a file named for its format', async () => {
    const { client: c, calls } = client(
      () =>
        new Response('cluster,namespace\r\n', {
          status: 200,
          headers: { 'content-type': 'text/csv; charset=utf-8' },
        }),
    );
    const file = await c.exportOverview('csv', { namespace: 'payments' });
    expect(file.filename).toBe('irsa-overview.csv');
    expect(await file.content.text()).toBe('cluster,namespace\r\n');
    expect(calls).toEqual([
      'http://backend/api/irsa/overview/export?namespace=payments&format=csv',
    ]);
  });

  it('throws the 403 of a reader without irsa.overview.read', async () => {
    const { client: c } = client(
      () =>
        new Response(
          JSON.stringify({
            error: { name: 'NotAllowedError', message: 'irsa.overview.read' },
            request: { method: 'GET', url: '/' },
            response: { statusCode: 403 },
          }),
          { status: 403, headers: { 'content-type': 'application/json' } },
        ),
    );
    await expect(
      c.getOverview({ page: 1, pageSize: 50 }),
    ).rejects.toMatchObject({ statusCode: 403 });
    await expect(c.exportOverview('json', {})).rejects.toMatchObject({
      statusCode: 403,
    });
  });
});
