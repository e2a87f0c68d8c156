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
    const { client: c } = client(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'nope' },
          request: { method: 'GET', url: '/clusters' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      ),
    );
    await expect(c.getClusters()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      body: { error: { name: 'NotAllowedError', message: 'nope' } },
    });
  });
});
