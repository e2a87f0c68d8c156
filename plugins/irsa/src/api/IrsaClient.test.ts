import { MockFetchApi } from '@backstage/test-utils';
import { IrsaClient } from './IrsaClient';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
};

function client(response: Response) {
  const calls: string[] = [];
  const fetchApi = new MockFetchApi({
    baseImplementation: async (input: any) => {
      calls.push(String(input));
      return response;
    },
  });
  return { client: new IrsaClient({ discoveryApi, fetchApi }), calls };
}

function errorResponse(status: number, name: string, message: string) {
  return new Response(
    JSON.stringify({
      error: { name, message },
      request: { method: 'GET', url: '/' },
      response: { statusCode: status },
    }),
    { status, headers: { 'content-type': 'application/json' } },
  );
}

describe('IrsaClient', () => {
  it('reads the clusters from the irsa backend', async () => {
    const items = [
      { name: 'prod', accountId: '111111111111', region: 'eu-west-1' },
    ];
    const { client: c, calls } = client(
      new Response(JSON.stringify({ items }), { status: 200 }),
    );
    await expect(c.getClusters()).resolves.toEqual(items);
    expect(calls).toEqual(['http://backend/api/irsa/clusters']);
  });

  it('throws a ResponseError carrying the server message', async () => {
    const { client: c } = client(errorResponse(403, 'NotAllowedError', 'nope'));
    await expect(c.getClusters()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      body: { error: { name: 'NotAllowedError', message: 'nope' } },
    });
  });

  it('reads the status report of one entity, with the ref encoded in the query', async () => {
    const report = {
      entityRef: 'component:default/payments-api',
      generatedAt: '2025-01-01T00:00:00.000Z',
      overall: 'trusted',
      bindings: [],
      checks: [],
    };
    const { client: c, calls } = client(
      new Response(JSON.stringify(report), { status: 200 }),
    );
    await expect(
      c.getStatus('component:default/payments-api'),
    ).resolves.toEqual(report);
    expect(calls).toEqual([
      'http://backend/api/irsa/status?entityRef=component%3Adefault%2Fpayments-api',
    ]);
  });

  it('throws a ResponseError when the status cannot be read', async () => {
    const { client: c } = client(
      errorResponse(
        404,
        'NotFoundError',
        'No entity component:default/gone in the catalog',
      ),
    );
    await expect(c.getStatus('component:default/gone')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      body: {
        error: {
          name: 'NotFoundError',
          message: 'No entity component:default/gone in the catalog',
        },
      },
    });
  });

  it("reads a cluster's namespaces for an entity, both encoded in the query", async () => {
    const items = [{ name: 'payments', allowed: true }];
    const { client: c, calls } = client(
      new Response(JSON.stringify({ items }), { status: 200 }),
    );
    await expect(
      c.getFormNamespaces('prod eu', 'component:default/payments-api'),
    ).resolves.toEqual(items);
    expect(calls).toEqual([
      'http://backend/api/irsa/form/namespaces?cluster=prod+eu&entityRef=component%3Adefault%2Fpayments-api',
    ]);
  });

  it('reads the policies and posts a preview request as JSON', async () => {
    const requests: Array<{ url: string; init?: RequestInit }> = [];
    const fetchApi = new MockFetchApi({
      baseImplementation: async (input: any, init?: RequestInit) => {
        requests.push({ url: String(input), init });
        return new Response(JSON.stringify({ presets: [] }), { status: 200 });
      },
    });
    const c = new IrsaClient({ discoveryApi, fetchApi });
    await c.getFormPolicies();
    const request = {
      entityRef: 'component:default/payments-api',
      cluster: 'prod',
      namespace: 'payments',
      serviceAccount: 'payments-api',
      roleName: 'payments-api',
    };
    await c.previewRole(request);
    expect(requests.map(r => r.url)).toEqual([
      'http://backend/api/irsa/form/policies',
      'http://backend/api/irsa/form/preview',
    ]);
    expect(requests[1].init?.method).toBe('POST');
    expect(JSON.parse(String(requests[1].init?.body))).toEqual(request);
  });
});
