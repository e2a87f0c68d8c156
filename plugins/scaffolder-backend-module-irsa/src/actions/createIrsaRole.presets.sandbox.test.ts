import {
  canonicalPolicyJson,
  evaluateTrustPolicy,
  serviceAccountRequestContext,
} from '@backstage-irsa/plugin-irsa-common';
import {
  coreV1,
  describeSandbox,
  iamFor,
  peerRequests,
  sandboxEnv,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import {
  CreatePolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  countedRoleActions,
  DYNAMODB_READ,
} from '../__testUtils__/countedRoleActions';
import { mockContext } from '../__testUtils__/mockContext';

// Presets, patterns and drift repair of aws:irsa:create-role against the sandbox's moto and
// kube-apiserver. What each run sent is read from moto's request log, by this file's own
// AWS access key (countedRoleActions), so "zero writes" counts this service alone.

const PRESETS = [
  {
    name: 's3-read-bucket',
    title: 'Read one S3 bucket',
    description: 'List the bucket you name and read its objects.',
    inlinePolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ListTheBucket',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:${partition}:s3:::${bucket}',
        },
        {
          Sid: 'ReadItsObjects',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:${partition}:s3:::${bucket}/*',
        },
      ],
    },
    parameters: [
      {
        name: 'bucket',
        title: 'Bucket name',
        pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
      },
    ],
  },
  {
    name: 'dynamodb-read',
    title: 'Read DynamoDB tables',
    policyArns: [DYNAMODB_READ],
  },
  {
    name: 'admin',
    title: 'Everything (needs allowAllActionsOnAllResources)',
    inlinePolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    },
  },
];
const ENTITY = 'component:default/reports';

const iam = (accountId: string) => iamFor(accountId);

async function inlinePolicy(accountId: string, role: string, name: string) {
  const { PolicyDocument } = await iam(accountId).send(
    new GetRolePolicyCommand({ RoleName: role, PolicyName: name }),
  );
  return JSON.parse(decodeURIComponent(PolicyDocument!));
}

async function attached(accountId: string, role: string) {
  const { AttachedPolicies } = await iam(accountId).send(
    new ListAttachedRolePoliciesCommand({ RoleName: role }),
  );
  return (AttachedPolicies ?? []).map(p => p.PolicyArn).sort();
}

async function storedRole(accountId: string, role: string) {
  const { Role } = await iam(accountId).send(
    new GetRoleCommand({ RoleName: role }),
  );
  return {
    boundary: Role!.PermissionsBoundary?.PermissionsBoundaryArn,
    trust: JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)),
  };
}

describeSandbox('aws:irsa:create-role with presets, patterns and drift', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(120_000);
  const namespace = uniqueName('presets');

  beforeAll(async () => {
    await coreV1().createNamespace({ body: { metadata: { name: namespace } } });
  });
  afterAll(async () => {
    await coreV1()
      .deleteNamespace({ name: namespace })
      .catch(() => undefined);
  });

  const request = (roleName: string, extra: object = {}) => ({
    cluster: 'c1',
    namespace,
    serviceAccount: 'reports-api',
    roleName,
    entityRef: ENTITY,
    presets: [
      { name: 's3-read-bucket', parameters: { bucket: 'payments-reports' } },
      { name: 'dynamodb-read' },
    ],
    ...extra,
  });

  it('writes the inline policy with the bucket substituted, and attaches the managed ARNs', async () => {
    const t = countedRoleActions({ presets: PRESETS });
    await t.oidc.handler(mockContext({ cluster: 'c1', entityRef: ENTITY }));
    const name = uniqueName('preset');
    const mark = await peerRequests.mark();
    await t.role.handler(mockContext(request(name)));
    const role = `irsa-${name}`;
    const account = t.env.clusterAccountId;

    expect(await inlinePolicy(account, role, 'preset-s3-read-bucket')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ListTheBucket',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::payments-reports',
        },
        {
          Sid: 'ReadItsObjects',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::payments-reports/*',
        },
      ],
    });
    expect(await attached(account, role)).toEqual([DYNAMODB_READ]);
    const seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([
      `CreateRole ${role}`,
      `AttachRolePolicy ${role}`,
      `PutRolePolicy ${role}`,
    ]);
    expect(seen.k8sWrites).toEqual([]);
  });

  it('refuses a bad parameter, an unknown preset and an extra parameter before any call', async () => {
    const t = countedRoleActions({ presets: PRESETS });
    const name = uniqueName('badparam');
    for (const action of [t.oidc, t.role]) {
      const mark = await peerRequests.mark();
      const error = await action
        .handler(
          mockContext(
            request(name, {
              presets: [
                {
                  name: 's3-read-bucket',
                  parameters: { bucket: 'x/*', prefix: 'a' },
                },
                { name: 'no-such-preset' },
              ],
            }),
          ),
        )
        .catch(e => e);
      expect(error.name).toBe('InputError');
      for (const part of [
        'presets[0].parameters.prefix: The preset "s3-read-bucket" takes no parameter "prefix"',
        'presets[0].parameters.bucket: Bucket name "x/*" may hold only',
        'presets[1].name: "no-such-preset" is not a preset of this platform',
      ]) {
        expect(error.message).toContain(part);
      }
      const seen = await t.requestsSince(mark, namespace);
      expect(seen.aws).toEqual([]);
      expect(seen.k8sWrites).toEqual([]);
    }
  });

  it('refuses Allow "*" on "*" without the guardrail, before any call, and writes it with the guardrail', async () => {
    const name = uniqueName('star');
    const input = request(name, { presets: [{ name: 'admin' }] });
    const refusing = countedRoleActions({ presets: PRESETS });
    await refusing.oidc.handler(
      mockContext({ cluster: 'c1', entityRef: ENTITY }),
    );
    const mark = await peerRequests.mark();
    await expect(
      refusing.role.handler(mockContext(input)),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'presets[0].inlinePolicy.Statement[0]: The preset "admin" allows Action "*" on Resource "*"',
      ),
    });
    expect((await refusing.requestsSince(mark, namespace)).aws).toEqual([]);

    const allowing = countedRoleActions({
      presets: PRESETS,
      guardrails: { allowAllActionsOnAllResources: true },
    });
    await allowing.oidc.handler(
      mockContext({ cluster: 'c1', entityRef: ENTITY }),
    );
    await allowing.role.handler(mockContext(input));
    expect(
      await inlinePolicy(
        allowing.env.clusterAccountId,
        `irsa-${name}`,
        'preset-admin',
      ),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
  });

  it('repairs every drift on a re-run, and a re-run with nothing drifted writes nothing', async () => {
    const account = sandboxEnv().clusterAccountId;
    // The platform's boundary: a customer managed policy of this test's own.
    const { Policy } = await iam(account).send(
      new CreatePolicyCommand({
        PolicyName: uniqueName('irsa-boundary'),
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
        }),
      }),
    );
    const boundary = Policy!.Arn!;
    const t = countedRoleActions({
      presets: PRESETS,
      guardrails: { permissionsBoundaryArn: boundary },
    });
    await t.oidc.handler(mockContext({ cluster: 'c1', entityRef: ENTITY }));
    const name = uniqueName('drift');
    const role = `irsa-${name}`;
    const input = request(name);
    // The template's three write steps, as the template chains them.
    const run = async () => {
      await t.oidc.handler(mockContext(input));
      await t.role.handler(mockContext(input));
      await t.sa.handler(
        mockContext({
          cluster: 'c1',
          namespace,
          serviceAccount: 'reports-api',
          roleArn: `arn:aws:iam::${account}:role/irsa/${role}`,
          entityRef: ENTITY,
        }),
      );
    };
    await run();
    const wanted = {
      role: await storedRole(account, role),
      attached: await attached(account, role),
      inline: await inlinePolicy(account, role, 'preset-s3-read-bucket'),
    };
    expect(wanted.role.boundary).toBe(boundary);
    expect(wanted.attached).toEqual([DYNAMODB_READ]);

    // Nothing drifted: the whole plan is reads, not one write.
    let mark = await peerRequests.mark();
    await run();
    let seen = await t.requestsSince(mark, namespace);
    expect(seen.aws.length).toBeGreaterThan(0);
    expect(seen.awsWrites).toEqual([]);
    expect(seen.k8sWrites).toEqual([]);

    // By hand: trust replaced, managed policy detached, inline policy deleted, boundary
    // removed, ServiceAccount deleted.
    const hand = iam(account);
    await hand.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: role,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'ec2.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await hand.send(
      new DetachRolePolicyCommand({ RoleName: role, PolicyArn: DYNAMODB_READ }),
    );
    await hand.send(
      new DeleteRolePolicyCommand({
        RoleName: role,
        PolicyName: 'preset-s3-read-bucket',
      }),
    );
    await hand.send(
      new DeleteRolePermissionsBoundaryCommand({ RoleName: role }),
    );
    await coreV1().deleteNamespacedServiceAccount({
      namespace,
      name: 'reports-api',
    });
    const trustAllows = async () =>
      evaluateTrustPolicy(
        (await storedRole(account, role)).trust,
        serviceAccountRequestContext({
          providerArn: t.providerArn(0),
          namespace,
          serviceAccount: 'reports-api',
        }),
      ).decision;
    expect(await trustAllows()).toBe('implicit-deny');

    mark = await peerRequests.mark();
    await run();
    seen = await t.requestsSince(mark, namespace);
    // In this order: the manager policy attaches and writes only on bounded roles.
    expect(seen.awsWrites).toEqual([
      `UpdateAssumeRolePolicy ${role}`,
      `TagRole ${role}`,
      `PutRolePermissionsBoundary ${role}`,
      `AttachRolePolicy ${role}`,
      `PutRolePolicy ${role}`,
    ]);
    expect(await trustAllows()).toBe('allow');
    expect((await storedRole(account, role)).boundary).toBe(boundary);
    expect(await attached(account, role)).toEqual([DYNAMODB_READ]);
    expect(await inlinePolicy(account, role, 'preset-s3-read-bucket')).toEqual(
      wanted.inline,
    );
    // The ServiceAccount deleted by hand is made again, annotated with the role.
    expect(seen.k8sWrites).toHaveLength(1);
    const sa = await coreV1().readNamespacedServiceAccount({
      namespace,
      name: 'reports-api',
    });
    expect(sa.metadata?.annotations?.['eks.amazonaws.com/role-arn']).toBe(
      `arn:aws:iam::${account}:role/irsa/${role}`,
    );

    // An inline policy edited by hand (widened) is rewritten, and only it.
    await hand.send(
      new PutRolePolicyCommand({
        RoleName: role,
        PolicyName: 'preset-s3-read-bucket',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
        }),
      }),
    );
    mark = await peerRequests.mark();
    await run();
    seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([`PutRolePolicy ${role}`]);
    expect(
      canonicalPolicyJson(
        await inlinePolicy(account, role, 'preset-s3-read-bucket'),
      ),
    ).toBe(canonicalPolicyJson(wanted.inline));

    // Everything repaired: the next re-run writes nothing again.
    mark = await peerRequests.mark();
    await run();
    seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([]);
    expect(seen.k8sWrites).toEqual([]);
  });

  it('trusts a ServiceAccount name pattern only when the guardrail allows it', async () => {
    const name = uniqueName('pattern');
    const input = {
      cluster: 'c1',
      namespace,
      serviceAccountPattern: 'worker-*',
      roleName: name,
      entityRef: ENTITY,
    };
    const off = countedRoleActions();
    let mark = await peerRequests.mark();
    await expect(off.role.handler(mockContext(input))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'serviceAccountPattern: A ServiceAccount name pattern ("worker-*") would let every matching ServiceAccount of the namespace assume the role, and irsa.guardrails.allowServiceAccountPatterns is off',
      ),
    });
    expect((await off.requestsSince(mark, namespace)).aws).toEqual([]);

    const on = countedRoleActions({
      guardrails: { allowServiceAccountPatterns: true },
    });
    mark = await peerRequests.mark();
    await expect(
      on.role.handler(mockContext({ ...input, serviceAccountPattern: '*' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'starts with a wildcard: a pattern must start with at least one literal letter or digit',
      ),
    });
    expect((await on.requestsSince(mark, namespace)).aws).toEqual([]);

    await on.oidc.handler(mockContext({ cluster: 'c1', entityRef: ENTITY }));
    const ctx = mockContext(input);
    const info = jest.spyOn(ctx.logger, 'info');
    await on.role.handler(ctx);
    const { trust } = await storedRole(on.env.clusterAccountId, `irsa-${name}`);
    const hostPath = on.hostPaths[0];
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: on.providerArn(0) },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${hostPath}:aud`]: 'sts.amazonaws.com' },
          StringLike: {
            [`${hostPath}:sub`]: `system:serviceaccount:${namespace}:worker-*`,
          },
        },
      },
    ]);
    const decide = (ns: string, sa: string) =>
      evaluateTrustPolicy(
        trust,
        serviceAccountRequestContext({
          providerArn: on.providerArn(0),
          namespace: ns,
          serviceAccount: sa,
        }),
      ).decision;
    expect(decide(namespace, 'worker-a')).toBe('allow');
    expect(decide(namespace, 'api')).toBe('implicit-deny');
    expect(decide('other', 'worker-a')).toBe('implicit-deny');
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining(
        '3. ServiceAccount: none (the role trusts a name pattern',
      ),
    );
  });
});
