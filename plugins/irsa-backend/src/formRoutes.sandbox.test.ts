import { createIrsaService } from '@backstage-irsa/plugin-irsa-node';
import {
  describeSandbox,
  freshNamespace,
  sandboxAppConfig,
  sandboxEnv,
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

// The template form's routes against the sandbox: the namespace picker lists the real
// kube-apiserver's namespaces with the backend's own token (docs/rbac grants `list` on
// namespaces for this), and the preview names exactly the role the product then creates.

const guardrails = {
  roleNamePrefix: 'irsa-',
  rolePath: '/irsa/',
  deniedNamespaces: ['kube-*'],
};

async function backendWithEntity(name: string, namespace: string) {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-namespace': namespace },
    },
    spec: { owner: 'team-payments' },
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

describeSandbox('the template form routes against the sandbox', () => {
  jest.setTimeout(60_000);

  it("lists the cluster's namespaces, the entity's allowed and the others refused with the reason", async () => {
    const own = await freshNamespace('form-own');
    const other = await freshNamespace('form-other');
    const name = uniqueName('form-test');
    const server = await backendWithEntity(name, own);

    const res = await request(server)
      .get('/api/irsa/form/namespaces')
      .query({ cluster: 'sandbox', entityRef: `component:default/${name}` })
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const byName = new Map(
      (res.body.items as Array<{ name: string }>).map(i => [i.name, i]),
    );
    expect(byName.get(own)).toEqual({ name: own, allowed: true });
    expect(byName.get(other)).toEqual({
      name: other,
      allowed: false,
      reason: `Namespace "${other}" is not the entity's namespace: its backstage.io/kubernetes-namespace annotation says "${own}".`,
    });
    expect(byName.get('kube-system')).toEqual({
      name: 'kube-system',
      allowed: false,
      reason:
        'Namespace "kube-system" may not receive AWS roles: it matches "kube-*" in irsa.guardrails.deniedNamespaces.',
    });
    // Sorted, and only the entity's own namespace is offered.
    const names = res.body.items.map((i: { name: string }) => i.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(
      res.body.items.filter((i: { allowed: boolean }) => i.allowed),
    ).toEqual([{ name: own, allowed: true }]);
  });

  it('previews exactly the role name, ARN and trust subject the product creates', async () => {
    const namespace = await freshNamespace('form-preview');
    const name = uniqueName('form-preview');
    const entityRef = `component:default/${name}`;
    const server = await backendWithEntity(name, namespace);
    const requestBody = {
      entityRef,
      cluster: 'sandbox',
      namespace,
      serviceAccount: 'api',
      roleName: name,
    };
    const preview = await request(server)
      .post('/api/irsa/form/preview')
      .set('Authorization', mockCredentials.user.header())
      .send(requestBody);
    expect(preview.status).toBe(200);
    expect(preview.body.problems).toEqual([]);

    const irsa = createIrsaService(
      new ConfigReader(sandboxAppConfig({ guardrails })),
    );
    const oidc = await irsa.oidcProviders.plan('sandbox');
    if (oidc.state === 'missing') await irsa.oidcProviders.create(oidc);
    const plan = await irsa.roles.plan(requestBody);
    const { roleArn } = await irsa.roles.createRole(plan);

    expect(preview.body).toMatchObject({
      roleName: plan.roleName,
      path: plan.path,
      roleArn,
    });
    expect(roleArn).toBe(
      `arn:aws:iam::${sandboxEnv().clusterAccountId}:role/irsa/irsa-${name}`,
    );
    const trust = JSON.parse(plan.trustPolicyJson);
    const subjects = Object.values(
      trust.Statement[0].Condition.StringEquals,
    ) as string[];
    expect(subjects).toContain(preview.body.trustSubject);
    expect(preview.body.trustSubject).toBe(
      `system:serviceaccount:${namespace}:api`,
    );
  });
});
