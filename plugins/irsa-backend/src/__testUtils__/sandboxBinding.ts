import {
  type FailureCode,
  getFailure,
} from '@backstage-irsa/plugin-irsa-common';
import { createIrsaService } from '@backstage-irsa/plugin-irsa-node';
import { freshNamespace, uniqueName } from '@backstage-irsa/sandbox-test-utils';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { irsaPlugin } from '../plugin';

/** A check row as the card shows it: the code, its status, the catalogue's fix and link. */
export function catalogueRow(code: FailureCode, status: string) {
  return expect.objectContaining({
    code,
    status,
    fix: getFailure(code).fix,
    docsUrl: `docs/troubleshooting.md#${code.toLowerCase()}`,
  });
}

/**
 * A working binding made with the product's own services against the sandbox — provider,
 * role trusting `<fresh namespace>/api`, ServiceAccount `api` — for an entity of its own,
 * and the real plugin serving `/status` and `/verify` for it. Tests then break one thing and
 * read the status, and what live verify says of the same break.
 */
export async function sandboxBinding(
  prefix: string,
  config: object,
  options: { accountId?: string } = {},
) {
  const namespace = await freshNamespace(prefix);
  const name = uniqueName(`${prefix}-test`);
  const entityRef = `component:default/${name}`;

  const irsa = createIrsaService(new ConfigReader(config));
  const oidc = await irsa.oidcProviders.plan('sandbox', options.accountId);
  if (oidc.state === 'missing') await irsa.oidcProviders.create(oidc);
  const rolePlan = await irsa.roles.plan({
    cluster: 'sandbox',
    namespace,
    serviceAccount: 'api',
    roleName: uniqueName(prefix),
    entityRef,
    ...(options.accountId ? { accountId: options.accountId } : {}),
  });
  const { roleArn } = await irsa.roles.createRole(rolePlan);
  await irsa.serviceAccounts.create(
    await irsa.serviceAccounts.plan({
      cluster: 'sandbox',
      namespace,
      name: 'api',
      roleArn,
      entityRef,
    }),
  );

  const { server } = await startTestBackend({
    features: [
      irsaPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name,
              namespace: 'default',
              annotations: {
                'irsa.backstage.io/service-accounts': `sandbox/${namespace}/api`,
                'backstage.io/kubernetes-namespace': namespace,
              },
            },
            spec: {},
          },
        ],
      }),
    ],
  });

  /**
   * The entity's whole report, as GET /status answers it after the card's Refresh
   * (`fresh`): these tests change the peers behind the product's back, and the product's
   * caches only know of its own writes (docs/configuration.md, irsa.cache).
   */
  async function report() {
    const res = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef, fresh: 'true' })
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res;
  }

  /** The one binding's report, and its checks by code (each code once). */
  async function status() {
    const res = await report();
    const [binding] = res.body.bindings;
    const codes = binding.checks.map((c: any) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    const byCode = Object.fromEntries(
      binding.checks.map((c: any) => [c.code, c]),
    );
    return { binding, byCode, text: res.text };
  }

  /** POST /verify for ServiceAccount `api`: the product's live verify, as the card's button. */
  async function verify() {
    const res = await request(server)
      .post('/api/irsa/verify')
      .set('Authorization', mockCredentials.user.header())
      .send({
        entityRef,
        cluster: 'sandbox',
        namespace,
        serviceAccount: 'api',
      });
    expect(res.status).toBe(200);
    return res.body;
  }

  return {
    server,
    namespace,
    name,
    entityRef,
    irsa,
    oidc,
    rolePlan,
    roleArn,
    status,
    report,
    verify,
  };
}
