import {
  evaluateTrustPolicy,
  serviceAccountRequestContext,
} from '@backstage-irsa/plugin-irsa-common';
import {
  coreV1,
  describeSandbox,
  iamFor,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import {
  CreateRoleCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { mockContext } from '../__testUtils__/mockContext';
import { roleActions, S3_READ } from '../__testUtils__/roleActions';

// Against the sandbox's moto. moto neither evaluates trust policies nor checks tokens, so
// these tests assert the exact trust policy IAM stores and evaluate it with the product's
// own IAM-faithful evaluator (plugins/irsa-common), not by calling STS.

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const setup = () => roleActions();

async function readRole(accountId: string, name: string) {
  const { Role } = await iamFor(accountId).send(
    new GetRoleCommand({ RoleName: name }),
  );
  return {
    ...Role!,
    trust: JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)),
  };
}

const ensurePaymentsNamespace = () =>
  coreV1()
    .createNamespace({ body: { metadata: { name: 'payments' } } })
    .catch(e => {
      if (e.code !== 409) throw e;
    });

describeSandbox('aws:irsa:create-role against the sandbox', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(60_000);
  beforeAll(ensurePaymentsNamespace);
  it('creates a role only that ServiceAccount may assume, with the allowed policy', async () => {
    const { env, hostPath, oidc, role } = setup();
    await oidc.handler(
      mockContext({
        entityRef: 'component:default/test-service',
        cluster: 'c1',
      }),
    );
    const name = uniqueName('api');
    const ctx = mockContext({
      cluster: 'c1',
      namespace: 'payments',
      serviceAccount: 'payments-api',
      roleName: name,
      policyArns: [S3_READ],
      entityRef: 'component:default/payments-api',
    });
    await role.handler(ctx);

    const providerArn = `arn:aws:iam::${env.clusterAccountId}:oidc-provider/${hostPath}`;
    const stored = await readRole(env.clusterAccountId, `irsa-${name}`);
    expect(ctx.output).toHaveBeenCalledWith('roleArn', stored.Arn);
    expect(ctx.output).toHaveBeenCalledWith('created', true);
    expect(stored.Arn).toBe(
      `arn:aws:iam::${env.clusterAccountId}:role/irsa/irsa-${name}`,
    );
    expect(stored.trust).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${hostPath}:aud`]: 'sts.amazonaws.com',
              [`${hostPath}:sub`]:
                'system:serviceaccount:payments:payments-api',
            },
          },
        },
      ],
    });
    expect(stored.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'backstage-irsa:managed-by', Value: 'backstage-irsa' },
        {
          Key: 'backstage-irsa:entity-ref',
          Value: 'component:default/payments-api',
        },
      ]),
    );
    const attached = await iamFor(env.clusterAccountId).send(
      new ListAttachedRolePoliciesCommand({ RoleName: `irsa-${name}` }),
    );
    expect(attached.AttachedPolicies?.map(p => p.PolicyArn)).toEqual([S3_READ]);

    // What IAM would decide for the stored policy: this ServiceAccount only.
    const decide = (namespace: string, sa: string) =>
      evaluateTrustPolicy(
        stored.trust,
        serviceAccountRequestContext({
          providerArn,
          namespace,
          serviceAccount: sa,
        }),
      ).decision;
    expect(decide('payments', 'payments-api')).toBe('allow');
    expect(decide('payments', 'other')).toBe('implicit-deny');
    expect(decide('other', 'payments-api')).toBe('implicit-deny');
  });

  it('is idempotent, and adds a second ServiceAccount of the same entity to the trust', async () => {
    const { env, hostPath, oidc, role } = setup();
    await oidc.handler(
      mockContext({
        entityRef: 'component:default/test-service',
        cluster: 'c1',
      }),
    );
    const name = uniqueName('worker');
    const input = {
      cluster: 'c1',
      namespace: 'payments',
      serviceAccount: 'worker',
      roleName: name,
      entityRef: 'component:default/worker',
    };
    await role.handler(mockContext(input));
    const again = mockContext(input);
    await role.handler(again);
    expect(again.output).toHaveBeenCalledWith('created', false);

    await role.handler(
      mockContext({ ...input, serviceAccount: 'worker-canary' }),
    );
    const stored = await readRole(env.clusterAccountId, `irsa-${name}`);
    expect(stored.trust.Statement).toHaveLength(1);
    expect(
      stored.trust.Statement[0].Condition.StringEquals[`${hostPath}:sub`],
    ).toEqual([
      'system:serviceaccount:payments:worker',
      'system:serviceaccount:payments:worker-canary',
    ]);
  });

  it('never changes a role it did not create', async () => {
    const { env, oidc, role } = setup();
    await oidc.handler(
      mockContext({
        entityRef: 'component:default/test-service',
        cluster: 'c1',
      }),
    );
    const name = `irsa-${uniqueName('foreign')}`;
    const foreignTrust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    await iamFor(env.clusterAccountId).send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: foreignTrust,
      }),
    );
    await expect(
      role.handler(
        mockContext({
          entityRef: 'component:default/test-service',
          cluster: 'c1',
          namespace: 'payments',
          serviceAccount: 'api',
          roleName: name,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect((await readRole(env.clusterAccountId, name)).trust).toEqual(
      JSON.parse(foreignTrust),
    );
  });

  it('refuses a role another entity owns', async () => {
    const { oidc, role } = setup();
    await oidc.handler(
      mockContext({
        entityRef: 'component:default/test-service',
        cluster: 'c1',
      }),
    );
    const base = {
      cluster: 'c1',
      namespace: 'payments',
      serviceAccount: 'api',
      roleName: uniqueName('shared'),
    };
    await role.handler(
      mockContext({ ...base, entityRef: 'component:default/a' }),
    );
    await expect(
      role.handler(mockContext({ ...base, entityRef: 'component:default/b' })),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('belongs to component:default/a'),
    });
  });

  it('reports every bad input and guardrail at once, before any AWS call', async () => {
    const { role } = setup();
    const error = await role
      .handler(
        mockContext({
          entityRef: 'component:default/test-service',
          cluster: 'c1',
          namespace: 'kube-system',
          serviceAccount: 'Bad_Name',
          roleName: 'x'.repeat(70),
          policyArns: [ADMIN],
        }),
      )
      .catch(e => e);
    expect(error.name).toBe('InputError');
    for (const part of [
      'Namespace "kube-system" may not receive AWS roles',
      'The ServiceAccount name "Bad_Name"',
      'IAM allows at most 64',
      '[F22: docs/troubleshooting.md#f22]',
      'AdministratorAccess is not in irsa.guardrails.allowedPolicyArns',
    ]) {
      expect(error.message).toContain(part);
    }
  });

  it('asks for aws:oidc:ensure when the provider is missing', async () => {
    const { role } = setup();
    await expect(
      role.handler(
        mockContext({
          entityRef: 'component:default/test-service',
          cluster: 'c1',
          namespace: 'payments',
          serviceAccount: 'api',
          roleName: uniqueName('nop'),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining(
        'Run aws:oidc:ensure for this cluster first',
      ),
    });
  });

  it('changes nothing in a dry run', async () => {
    const { env, oidc, role } = setup();
    await oidc.handler(
      mockContext({
        entityRef: 'component:default/test-service',
        cluster: 'c1',
      }),
    );
    const name = uniqueName('dry');
    const ctx = mockContext(
      {
        entityRef: 'component:default/test-service',
        cluster: 'c1',
        namespace: 'payments',
        serviceAccount: 'api',
        roleName: name,
      },
      { dryRun: true },
    );
    await role.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'roleArn',
      `arn:aws:iam::${env.clusterAccountId}:role/irsa/irsa-${name}`,
    );
    await expect(
      readRole(env.clusterAccountId, `irsa-${name}`),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  });

  it('plans the role in a dry run before the provider exists, writing nothing', async () => {
    const { env, role } = setup();
    const name = uniqueName('fresh');
    const ctx = mockContext(
      {
        entityRef: 'component:default/test-service',
        cluster: 'c1',
        namespace: 'payments',
        serviceAccount: 'api',
        roleName: name,
      },
      { dryRun: true },
    );
    const info = jest.spyOn(ctx.logger, 'info');
    await role.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'roleArn',
      `arn:aws:iam::${env.clusterAccountId}:role/irsa/irsa-${name}`,
    );
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining(': missing\n  2. IAM role'),
    );
    await expect(
      readRole(env.clusterAccountId, `irsa-${name}`),
    ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it("creates the role in another account, trusting that account's provider", async () => {
    const { env, hostPath, oidc, role } = setup();
    await oidc.handler(
      mockContext({
        entityRef: 'component:default/test-service',
        cluster: 'c1',
        accountId: env.targetAccountId,
      }),
    );
    const name = uniqueName('xacct');
    await role.handler(
      mockContext({
        entityRef: 'component:default/test-service',
        cluster: 'c1',
        accountId: env.targetAccountId,
        namespace: 'payments',
        serviceAccount: 'settlement-worker',
        roleName: name,
      }),
    );
    const stored = await readRole(env.targetAccountId, `irsa-${name}`);
    expect(stored.trust.Statement[0].Principal.Federated).toBe(
      `arn:aws:iam::${env.targetAccountId}:oidc-provider/${hostPath}`,
    );
  });
});
