import {
  awsTokenUses,
  coreV1,
  describeSandbox,
  findSecrets,
  freshNamespace,
  peerRequests,
  sandboxEnv,
  tokenRequests,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import { createIrsaRoleAction } from './createIrsaRole';
import { createServiceAccountAction } from './createServiceAccount';
import { createEnsureOidcProviderAction } from './ensureOidcProvider';
import { createVerifyAccessAction } from './verifyAccess';

// The template's steps for a fresh binding against the sandbox — provider, role,
// ServiceAccount — then aws:irsa:verify: a real TokenRequest from the kube-apiserver, a real
// AssumeRoleWithWebIdentity decided by the sandbox's STS (fakecloud, docs/sandbox.md shim 3)
// and GetCallerIdentity. What reached the peers is counted from their own logs.

describeSandbox('aws:irsa:verify after the template steps (sandbox)', () => {
  jest.setTimeout(120_000);
  const env = sandboxEnv();
  const irsaService = sandboxIrsaService({
    guardrails: { roleNamePrefix: 'irsa-', rolePath: '/irsa/' },
  });
  const options = testActionOptions(irsaService);
  const oidc = createEnsureOidcProviderAction(options);
  const role = createIrsaRoleAction(options);
  const sa = createServiceAccountAction(options);
  const verify = createVerifyAccessAction(options);

  /** Runs `action`; its outputs and task log. */
  async function run(
    action: { handler: (ctx: any) => Promise<void> },
    input: Record<string, unknown>,
  ) {
    const logger = mockServices.logger.mock();
    const ctx = { ...mockContext(input as any), logger };
    await action.handler(ctx);
    const outputs = Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
    const logs = logger.info.mock.calls.map(c => String(c[0])).join('\n');
    return { outputs, logs };
  }

  it('proves a fresh binding with the assumed-role ARN, minting one token and leaking none', async () => {
    const namespace = await freshNamespace('verify');
    const entityRef = `component:default/${uniqueName('verify')}`;
    const roleName = uniqueName('verify');
    const binding = { entityRef, cluster: 'sandbox', namespace };

    await run(oidc, { entityRef, cluster: 'sandbox' });
    const made = await run(role, {
      ...binding,
      serviceAccount: 'api',
      roleName,
    });
    const roleArn = made.outputs.roleArn as string;
    await run(sa, { ...binding, serviceAccount: 'api', roleArn });

    const mark = await peerRequests.mark();
    const verified = await run(verify, {
      ...binding,
      serviceAccount: 'api',
      accountId: env.clusterAccountId,
      waitSeconds: 30,
    });
    expect(verified.outputs).toEqual({
      ok: true,
      roleArn,
      assumedRoleArn: expect.stringMatching(
        new RegExp(
          `^arn:aws:sts::${env.clusterAccountId}:assumed-role/irsa-${roleName}/backstage-irsa-verify-\\d+$`,
        ),
      ),
    });
    expect(verified.logs).toContain(
      `AWS says you are ${verified.outputs.assumedRoleArn}`,
    );

    const since = await peerRequests.since(mark);
    expect(
      tokenRequests(since.k8s).filter(r => r.namespace === namespace),
    ).toHaveLength(1);
    expect(
      awsTokenUses(since.aws).filter(r => r.roleArn === roleArn).length,
    ).toBeGreaterThanOrEqual(1);
    expect(
      findSecrets(JSON.stringify(verified.outputs) + verified.logs),
    ).toEqual([]);
    const meta = JSON.stringify(options.event.success.mock.calls);
    expect(findSecrets(meta)).toEqual([]);
  });

  it("proves a Helm ServiceAccount's access once k8s:create-sa adopted it", async () => {
    const namespace = await freshNamespace('verify-adopted');
    const entityRef = `component:default/${uniqueName('verify-adopted')}`;
    const binding = { entityRef, cluster: 'sandbox', namespace };
    await coreV1().createNamespacedServiceAccount({
      namespace,
      fieldManager: 'helm',
      body: {
        metadata: {
          name: 'payments',
          labels: { 'app.kubernetes.io/managed-by': 'Helm' },
          annotations: { 'meta.helm.sh/release-name': 'payments' },
        },
      },
    });
    await run(oidc, { entityRef, cluster: 'sandbox' });
    // As the template passes the binding: every step that plans it is told of the opt-in.
    const made = await run(role, {
      ...binding,
      serviceAccount: 'payments',
      roleName: uniqueName('verify-adopted'),
      adoptExisting: true,
    });
    const roleArn = made.outputs.roleArn as string;
    await run(sa, {
      ...binding,
      serviceAccount: 'payments',
      roleArn,
      adoptExisting: true,
    });
    const verified = await run(verify, {
      ...binding,
      serviceAccount: 'payments',
    });
    expect(verified.outputs).toMatchObject({ ok: true, roleArn });
  });

  it('mints no token for a ServiceAccount the product does not tie to the entity', async () => {
    const namespace = await freshNamespace('verify-not-ours');
    await coreV1().createNamespacedServiceAccount({
      namespace,
      body: {
        metadata: {
          name: 'hand-made',
          annotations: {
            'eks.amazonaws.com/role-arn': `arn:aws:iam::${env.clusterAccountId}:role/irsa/irsa-someone`,
          },
        },
      },
    });
    const mark = await peerRequests.mark();
    await expect(
      run(verify, {
        entityRef: `component:default/${uniqueName('verify-not-ours')}`,
        cluster: 'sandbox',
        namespace,
        serviceAccount: 'hand-made',
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const since = await peerRequests.since(mark);
    expect(
      tokenRequests(since.k8s).filter(r => r.namespace === namespace),
    ).toEqual([]);
  });
});
