import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { irsaPlugin } from './plugin';

// POST /verify refusals, with full bodies and the audit events they leave. The cluster
// of this config is unreachable on purpose: every answer here is decided before the
// product would talk to Kubernetes or AWS for the ServiceAccount.

const config = {
  irsa: {
    clusters: [
      {
        name: 'prod-eu',
        accountId: '111111111111',
        region: 'eu-west-1',
        eksClusterName: 'prod',
        kubernetes: { url: 'https://127.0.0.1:1', serviceAccountToken: 't' },
      },
    ],
    verify: { rateLimit: { perUser: { limit: 1, windowSeconds: 3600 } } },
  },
};

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-namespace': 'payments' },
  },
  spec: { owner: 'team-payments' },
};

const body = {
  entityRef: 'component:default/payments-api',
  cluster: 'prod-eu',
  namespace: 'payments',
  serviceAccount: 'payments-api',
};

async function start(extra: any[] = []) {
  const auditor = mockServices.auditor.mock();
  const event = {
    success: jest.fn(async () => {}),
    fail: jest.fn(async () => {}),
  };
  auditor.createEvent.mockResolvedValue(event);
  const { server } = await startTestBackend({
    features: [
      irsaPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities: [entity] }),
      auditor.factory,
      ...extra,
    ],
  });
  const verify = (b: object = body) =>
    request(server)
      .post('/api/irsa/verify')
      .set('Authorization', mockCredentials.user.header('user:default/ada'))
      .send(b);
  return { verify, auditor, event };
}

describe('POST /api/irsa/verify refusals', () => {
  it('403 without irsa.verify on the entity, audited as a failure', async () => {
    const { verify, auditor, event } = await start([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res = await verify();
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: {
        name: 'NotAllowedError',
        message:
          'Not allowed to verify the AWS access of component:default/payments-api',
      },
      request: { method: 'POST', url: '/verify' },
      response: { statusCode: 403 },
    });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'verify',
        severityLevel: 'medium',
        meta: body,
      }),
    );
    expect(event.fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ name: 'NotAllowedError' }),
      meta: body,
    });
    expect(event.success).not.toHaveBeenCalled();
  });

  it('404 for an entity the caller cannot see, whether hidden or missing', async () => {
    const { verify, event } = await start();
    const res = await verify({
      ...body,
      entityRef: 'component:default/hidden',
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: {
        name: 'NotFoundError',
        message: 'No entity component:default/hidden in the catalog',
      },
      request: { method: 'POST', url: '/verify' },
      response: { statusCode: 404 },
    });
    expect(event.fail).toHaveBeenCalledTimes(1);
  });

  it("403 for a ServiceAccount that is not the entity's, then 429 past the per-user limit", async () => {
    const { verify, event } = await start();
    const first = await verify();
    expect(first.status).toBe(403);
    expect(first.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        'payments/payments-api on cluster prod-eu is not a ServiceAccount of component:default/payments-api: ' +
        'only ServiceAccounts backstage-irsa created for it, or its own in a namespace it may use, can be verified.',
    });
    const second = await verify();
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(second.body).toEqual({
      error: {
        name: 'TooManyRequestsError',
        message: expect.stringMatching(
          /^Too many verifies for this user: at most 1 per 3600 s \(irsa\.verify\.rateLimit\)\. Try again in \d+ s\.$/,
        ),
      },
      request: { method: 'POST', url: '/verify' },
      response: { statusCode: 429 },
    });
    expect(event.fail).toHaveBeenLastCalledWith({
      error: expect.objectContaining({ name: 'TooManyRequestsError' }),
      meta: { ...body, rateLimited: 'user' },
    });
  });

  it('401 without credentials and 403 for a service caller: verify is for people', async () => {
    const { auditor } = await start();
    const { server } = await startTestBackend({
      features: [
        irsaPlugin,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory({ entities: [entity] }),
      ],
    });
    const none = await request(server)
      .post('/api/irsa/verify')
      .set('Authorization', mockCredentials.none.header())
      .send(body);
    expect(none.status).toBe(401);
    const service = await request(server)
      .post('/api/irsa/verify')
      .set('Authorization', mockCredentials.service.header())
      .send(body);
    expect(service.status).toBe(403);
    expect(auditor.createEvent).not.toHaveBeenCalled();
  });
});
