import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  type DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';
import request from 'supertest';
import { irsaPlugin } from './plugin';

const irsaConfig = {
  irsa: {
    clusters: [
      {
        name: 'prod-eu',
        accountId: '111111111111',
        region: 'eu-west-1',
        eksClusterName: 'prod',
        kubernetes: {
          url: 'https://k8s.example.com',
          serviceAccountToken: 'do-not-leak',
          caData: 'Q0E=',
        },
      },
    ],
  },
};

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'irsa.backstage.io/service-accounts': 'Bad/Entry' },
  },
  spec: {},
};

async function start(data: object, extra: any[] = []) {
  const { server } = await startTestBackend({
    features: [
      irsaPlugin,
      mockServices.rootConfig.factory({ data }),
      catalogServiceMock.factory({ entities: [entity] }),
      ...extra,
    ],
  });
  return server;
}

describe('irsa backend plugin', () => {
  it('answers /health without credentials', async () => {
    const server = await start(irsaConfig);
    const res = await request(server).get('/api/irsa/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('lists configured clusters without connection details or secrets', async () => {
    const server = await start(irsaConfig);
    const res = await request(server)
      .get('/api/irsa/clusters')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          name: 'prod-eu',
          accountId: '111111111111',
          region: 'eu-west-1',
          eksClusterName: 'prod',
          allowedAccountIds: [],
        },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain('do-not-leak');
  });

  it('refuses /clusters without credentials', async () => {
    const server = await start(irsaConfig);
    const res = await request(server)
      .get('/api/irsa/clusters')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('reports entity-level problems in /status without reading the ServiceAccounts a bad annotation names', async () => {
    const server = await start(irsaConfig);
    const res = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef: 'component:default/payments-api' })
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/payments-api',
      overall: 'broken',
      bindings: [],
      // The cluster of this config does not exist, so listing the entity's own
      // ServiceAccounts is `unknown` (P8) besides the annotation's failure.
      checks: expect.arrayContaining([
        expect.objectContaining({
          code: 'P6',
          status: 'fail',
          docsUrl: 'docs/troubleshooting.md#p6',
        }),
        expect.objectContaining({ code: 'P8', status: 'unknown' }),
      ]),
    });
    // Where the time went, and nothing else.
    expect(res.headers['server-timing']).toMatch(
      /^access;dur=\d+\.\d;desc="catalog and permission", status;dur=\d+\.\d$/,
    );
  });

  it('answers 400 for a malformed entityRef and 404 for an unknown entity', async () => {
    const server = await start(irsaConfig);
    const bad = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef: 'not a ref:/x/y' })
      .set('Authorization', mockCredentials.user.header());
    expect(bad.status).toBe(400);
    expect(bad.body.error.name).toBe('InputError');
    const missing = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef: 'component:default/nope' })
      .set('Authorization', mockCredentials.user.header());
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
  });

  it('answers 403 for the overview when irsa.overview.read is denied, 400 for a bad page', async () => {
    const denied = await start(irsaConfig, [
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res = await request(denied)
      .get('/api/irsa/overview')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('irsa.overview.read');

    const server = await start(irsaConfig);
    const bad = await request(server)
      .get('/api/irsa/overview')
      .query({ pageSize: '5000', page: '-1' })
      .set('Authorization', mockCredentials.user.header());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/page.*pageSize|pageSize.*page/s);
  });

  it('asks the catalog and the permission check at once, and answers 404 for a hidden entity even when denied', async () => {
    // The catalog answers only once the permission was asked: one after the other never ends.
    let permissionAsked!: () => void;
    const asked = new Promise<void>(r => {
      permissionAsked = r;
    });
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async (ref: unknown) => {
        await asked;
        return ref === 'component:default/payments-api'
          ? (entity as any)
          : undefined;
      }),
    });
    const permissions = mockServices.permissions.mock({
      authorize: jest.fn(async (): Promise<DefinitivePolicyDecision[]> => {
        permissionAsked();
        return [{ result: AuthorizeResult.DENY }];
      }),
    });
    const { server } = await startTestBackend({
      features: [
        irsaPlugin,
        mockServices.rootConfig.factory({ data: irsaConfig }),
        catalog.factory,
        permissions.factory,
      ],
    });
    const hidden = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef: 'component:default/hidden' })
      .set('Authorization', mockCredentials.user.header());
    expect(hidden.status).toBe(404);
    const denied = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef: 'component:default/payments-api' })
      .set('Authorization', mockCredentials.user.header());
    expect(denied.status).toBe(403);
  });

  it('answers 403 when irsa.status.read is denied', async () => {
    const server = await start(irsaConfig, [
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef: 'component:default/payments-api' })
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });

  it('fails to start with an error naming the bad key', async () => {
    const bad = {
      irsa: {
        clusters: [{ ...irsaConfig.irsa.clusters[0], accountId: '42' }],
      },
    };
    await expect(start(bad)).rejects.toThrow(
      /irsa\.clusters\[0\]\.accountId: "42" must be a 12-digit AWS account id/,
    );
  });

  it('fails to start when the irsa section is missing', async () => {
    await expect(start({})).rejects.toThrow(/irsa: the section is missing/);
  });
});
