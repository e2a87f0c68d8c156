import {
  ClientKubernetesGateway,
  ClusterRegistry,
  createIrsaService,
  kubeConfigFor,
  SdkStsGateway,
  VerifyService,
} from '@backstage-irsa/plugin-irsa-node';
import {
  coreV1,
  createManagedRole,
  describeSandbox,
  freshNamespace,
  sandboxAppConfig,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { irsaPlugin } from './plugin';

// GET /status against the sandbox: the real plugin, the product's own IAM and Kubernetes
// gateways, resources made by the product's own operations. moto does not evaluate trust
// policies; the static F3 verdicts come from irsa-common's evaluator over the stored policy,
// the live ones from the sandbox's STS (fakecloud's evaluator, docs/sandbox.md shim 3).

const guardrails = { roleNamePrefix: 'irsa-', rolePath: '/irsa/' };

async function provision(
  namespace: string,
  roleTrusts: string,
  saName: string,
  entityRef: string,
) {
  const irsa = createIrsaService(
    new ConfigReader(sandboxAppConfig({ guardrails })),
  );
  const oidc = await irsa.oidcProviders.plan('sandbox');
  if (oidc.state === 'missing') await irsa.oidcProviders.create(oidc);
  const role = await irsa.roles.plan({
    cluster: 'sandbox',
    namespace,
    serviceAccount: roleTrusts,
    roleName: uniqueName('status'),
    entityRef,
  });
  const { roleArn } = await irsa.roles.createRole(role);
  const sa = await irsa.serviceAccounts.plan({
    cluster: 'sandbox',
    namespace,
    name: saName,
    roleArn,
    entityRef,
  });
  await irsa.serviceAccounts.create(sa);
  return roleArn;
}

/**
 * The real plugin against the sandbox, with one catalog entity naming `serviceAccounts`
 * and owning `namespace` (its backstage.io/kubernetes-namespace annotation).
 */
async function backendWithEntity(
  name: string,
  serviceAccounts: string,
  namespace: string,
) {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'irsa.backstage.io/service-accounts': serviceAccounts,
        'backstage.io/kubernetes-namespace': namespace,
      },
    },
    spec: {},
  };
  const { server } = await startTestBackend({
    features: [
      irsaPlugin,
      mockServices.rootConfig.factory({
        data: sandboxAppConfig({ guardrails }),
      }),
      catalogServiceMock.factory({ entities: [entity] }),
    ],
  });
  return server;
}

describeSandbox('GET /api/irsa/status against the sandbox', () => {
  jest.setTimeout(60_000);

  it('reports a trusted binding, a broken trust and a missing ServiceAccount', async () => {
    const namespace = await freshNamespace('status');
    // A fresh entity per run: ServiceAccounts made for it in earlier runs are its too.
    const name = uniqueName('status-test');
    const me = `component:default/${name}`;
    const goodRole = await provision(namespace, 'api', 'api', me);
    // The role trusts `other`, but ServiceAccount `stray` carries it: IAM would refuse.
    const strayRole = await provision(namespace, 'other', 'stray', me);
    await coreV1().createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'api-0' },
        spec: {
          serviceAccountName: 'api',
          containers: [{ name: 'app', image: 'app' }],
        },
      },
    });

    const server = await backendWithEntity(
      name,
      `sandbox/${namespace}/api, sandbox/${namespace}/stray, sandbox/${namespace}/missing`,
      namespace,
    );
    const res = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef: me })
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const [api, stray, missing] = res.body.bindings;
    const codes = (b: any) =>
      Object.fromEntries(b.checks.map((c: any) => [c.code, c.status]));

    expect(api).toMatchObject({ serviceAccount: 'api', roleArn: goodRole });
    expect(codes(api)).toMatchObject({
      P2: 'pass',
      P3: 'pass',
      P4: 'pass',
      F1: 'pass',
      F6: 'pass',
      F3: 'pass',
      P5: 'pass',
      P10: 'pass',
      // No pod identity webhook runs in the sandbox, so the pod lacks AWS_ROLE_ARN.
      F10: 'warn',
    });
    expect(api.pods).toEqual([{ name: 'api-0', needsRestart: true }]);
    expect(api.overall).toBe('warning');

    expect(stray).toMatchObject({
      serviceAccount: 'stray',
      roleArn: strayRole,
      overall: 'broken',
    });
    expect(codes(stray).F3).toBe('fail');

    expect(missing).toMatchObject({
      serviceAccount: 'missing',
      overall: 'broken',
    });
    expect(codes(missing)).toEqual({ P2: 'fail' });

    expect(res.body.overall).toBe('broken');
    expect(res.body.checks).toEqual([
      expect.objectContaining({ code: 'P6', status: 'pass' }),
    ]);
  });

  it('verifies live through STS who AWS says the ServiceAccount is, and nothing else', async () => {
    // The sandbox's STS checks signature, provider, aud, exp and the trust (docs/sandbox.md,
    // shim 3): the role trusts exactly this ServiceAccount, so STS lets it in; the product
    // mints the token, calls STS as a pod would and reports the answer without leaking it.
    const namespace = await freshNamespace('verify');
    const name = uniqueName('verify-test');
    const roleArn = await provision(
      namespace,
      'api',
      'api',
      `component:default/${name}`,
    );
    const server = await backendWithEntity(
      name,
      `sandbox/${namespace}/api`,
      namespace,
    );
    const verify = (serviceAccount: string) =>
      request(server)
        .post('/api/irsa/verify')
        .set('Authorization', mockCredentials.user.header())
        .send({
          entityRef: `component:default/${name}`,
          cluster: 'sandbox',
          namespace,
          serviceAccount,
        });

    const res = await verify('api');
    expect(res.status).toBe(200);
    const roleName = roleArn.split('/').pop();
    expect(res.body).toMatchObject({
      ok: true,
      stsCalled: true,
      roleArn,
      assumedRoleArn: expect.stringMatching(
        new RegExp(
          `^arn:aws:sts::\\d{12}:assumed-role/${roleName}/backstage-irsa-verify-\\d+$`,
        ),
      ),
      check: { code: 'F3', status: 'pass' },
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT
    expect(text).not.toMatch(/SecretAccessKey|SessionToken|AccessKeyId/);

    // Only the entity's own ServiceAccounts can be verified.
    const other = await verify('someone-else');
    expect(other.status).toBe(403);
    expect(other.body.error.name).toBe('NotAllowedError');
  });

  it('a trust naming another ServiceAccount: static F3 and live STS agree (AccessDenied)', async () => {
    const namespace = await freshNamespace('verify-f3');
    const name = uniqueName('verify-f3');
    const me = `component:default/${name}`;
    // The role trusts `other`; ServiceAccount `stray` carries it.
    const roleArn = await provision(namespace, 'other', 'stray', me);
    const server = await backendWithEntity(
      name,
      `sandbox/${namespace}/stray`,
      namespace,
    );
    const status = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef: me })
      .set('Authorization', mockCredentials.user.header());
    const f3 = status.body.bindings[0].checks.find((c: any) => c.code === 'F3');
    expect(f3.status).toBe('fail');

    // Live, through the product's VerifyService and its real STS gateway. Without the IAM
    // gateways it does not wait out the propagation minute (F16) for this fresh role.
    const config = new ConfigReader(sandboxAppConfig({ guardrails }));
    const registry = ClusterRegistry.fromConfig(config);
    const live = await new VerifyService(
      registry,
      cluster =>
        new ClientKubernetesGateway(
          cluster,
          kubeConfigFor(cluster, registry.get(cluster).kubernetes),
        ),
      region => new SdkStsGateway(region),
    ).verify({ cluster: 'sandbox', namespace, name: 'stray' });
    expect(live).toMatchObject({
      ok: false,
      stsCalled: true,
      roleArn,
      stsErrorCode: 'AccessDenied',
      check: { code: 'F3', status: 'fail' },
    });
    expect(live.check.detail).toMatch(
      /^STS refused: AccessDenied: User: arn:aws:iam::\d{12}:oidc-provider\/127\.0\.0\.1\/id\/\w+ is not authorized/,
    );
    expect(live.check.detail).toContain(
      `sts:AssumeRoleWithWebIdentity on resource: ${roleArn}`,
    );
  });

  it('flags (P10) a binding whose role belongs to another entity', async () => {
    const namespace = await freshNamespace('p10');
    const name = uniqueName('p10-test');
    const me = `component:default/${name}`;
    // A role backstage-irsa made for someone else; this entity's ServiceAccount points at it.
    const theirs = await createManagedRole(
      uniqueName('irsa-theirs'),
      'component:default/someone-else',
    );
    const irsa = createIrsaService(
      new ConfigReader(sandboxAppConfig({ guardrails })),
    );
    await irsa.serviceAccounts.create(
      await irsa.serviceAccounts.plan({
        cluster: 'sandbox',
        namespace,
        name: 'api',
        roleArn: theirs,
        entityRef: me,
      }),
    );
    const server = await backendWithEntity(
      name,
      `sandbox/${namespace}/api`,
      namespace,
    );
    const res = await request(server)
      .get('/api/irsa/status')
      .query({ entityRef: me })
      .set('Authorization', mockCredentials.user.header());
    const p10 = res.body.bindings[0].checks.find((c: any) => c.code === 'P10');
    expect(p10).toMatchObject({
      status: 'warn',
      detail: `The role belongs to component:default/someone-else, not ${me}: these pods run with another entity's AWS access.`,
      docsUrl: 'docs/troubleshooting.md#p10',
    });
  });
});
