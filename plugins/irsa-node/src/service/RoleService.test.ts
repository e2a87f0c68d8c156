import { testRegistry } from '../__testUtils__/testRegistry';
import type { AwsGatewayFactory } from './gateways';
import { type RolePlan, RoleService } from './RoleService';

const plan = {
  accountId: '111111111111',
  region: 'eu-west-1',
  roleName: 'irsa-api',
  trustPolicyJson: '{"Version":"2012-10-17","Statement":[]}',
} as RolePlan;

function serviceWith(tagRole: () => Promise<void>) {
  const calls: unknown[][] = [];
  const gateways = {
    iam: async () => ({
      updateTrustPolicy: async (...args: unknown[]) => {
        calls.push(['updateTrustPolicy', ...args]);
      },
      tagRole: async (...args: unknown[]) => {
        calls.push(['tagRole', ...args]);
        return tagRole();
      },
    }),
  } as unknown as AwsGatewayFactory;
  return { calls, roles: new RoleService(testRegistry(), gateways) };
}

describe('RoleService.updateTrust', () => {
  const now = new Date('2026-01-01T12:00:00Z');

  it('stamps the time of the trust change on the role after writing it (F16)', async () => {
    const { calls, roles } = serviceWith(async () => {});
    await roles.updateTrust(plan, now);
    expect(calls).toEqual([
      ['updateTrustPolicy', 'irsa-api', plan.trustPolicyJson],
      [
        'tagRole',
        'irsa-api',
        { 'backstage-irsa:trust-updated-at': '2026-01-01T12:00:00.000Z' },
      ],
    ]);
  });

  it('keeps the written trust when the stamp is refused (an older manager policy)', async () => {
    const { calls, roles } = serviceWith(async () => {
      throw new Error('NotAllowedError: iam:TagRole');
    });
    await expect(roles.updateTrust(plan, now)).resolves.toBeUndefined();
    expect(calls.map(c => c[0])).toEqual(['updateTrustPolicy', 'tagRole']);
  });
});

/** An in-memory IAM of one account: what plans read, and every write they cause. */
function fakeIam() {
  const writes: string[] = [];
  const roles = new Map<
    string,
    {
      arn: string;
      name: string;
      path: string;
      trustPolicy: unknown;
      tags: Record<string, string>;
      permissionsBoundaryArn?: string;
      attached: string[];
      inline: Map<string, unknown>;
    }
  >();
  const gateway = {
    getOidcProvider: async (arn: string) => ({
      arn,
      url: '',
      clientIds: ['sts.amazonaws.com'],
      tags: {},
    }),
    getRole: async (name: string) => {
      const r = roles.get(name);
      return r && { ...r, tags: { ...r.tags } };
    },
    listAttachedPolicyArns: async (name: string) => [
      ...(roles.get(name)?.attached ?? []),
    ],
    getRolePolicy: async (name: string, policy: string) =>
      roles.get(name)?.inline.get(policy),
    createRole: async (input: any) => {
      writes.push(`CreateRole ${input.name}`);
      const arn = `arn:aws:iam::111111111111:role${input.path}${input.name}`;
      roles.set(input.name, {
        arn,
        name: input.name,
        path: input.path,
        trustPolicy: JSON.parse(input.trustPolicyJson),
        tags: input.tags,
        permissionsBoundaryArn: input.permissionsBoundaryArn,
        attached: [],
        inline: new Map(),
      });
      return { arn };
    },
    updateTrustPolicy: async (name: string, json: string) => {
      writes.push(`UpdateAssumeRolePolicy ${name}`);
      roles.get(name)!.trustPolicy = JSON.parse(json);
    },
    tagRole: async () => {},
    attachPolicy: async (name: string, arn: string) => {
      writes.push(`AttachRolePolicy ${name} ${arn}`);
      roles.get(name)!.attached.push(arn);
    },
    putRolePolicy: async (name: string, policy: string, json: string) => {
      writes.push(`PutRolePolicy ${name} ${policy}`);
      roles.get(name)!.inline.set(policy, JSON.parse(json));
    },
    putRolePermissionsBoundary: async (name: string, arn: string) => {
      writes.push(`PutRolePermissionsBoundary ${name}`);
      roles.get(name)!.permissionsBoundaryArn = arn;
    },
  };
  const gateways = {
    iam: async () => gateway,
  } as unknown as AwsGatewayFactory;
  return { writes, roles, gateways };
}

const BOUNDARY = 'arn:aws:iam::111111111111:policy/irsa-boundary';
const DYNAMO = 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess';
const presetConfig = (guardrails: object = {}) => ({
  clusters: [
    {
      name: 'prod',
      accountId: '111111111111',
      region: 'eu-west-1',
      oidcIssuer: 'https://oidc.example.com/id/PROD',
      kubernetes: { url: 'https://k8s.example.com' },
    },
    {
      name: 'dr',
      accountId: '111111111111',
      region: 'eu-central-1',
      oidcIssuer: 'https://oidc.example.com/id/DR',
      kubernetes: { url: 'https://k8s-dr.example.com' },
    },
  ],
  guardrails: {
    roleNamePrefix: 'irsa-',
    rolePath: '/irsa/',
    allowedPolicyArns: [DYNAMO],
    permissionsBoundaryArn: BOUNDARY,
    ...guardrails,
  },
  presets: [
    {
      name: 's3-read-bucket',
      title: 'Read one S3 bucket',
      policyArns: [DYNAMO],
      inlinePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:ListBucket', 's3:GetObject'],
            Resource: [
              'arn:${partition}:s3:::${bucket}',
              'arn:${partition}:s3:::${bucket}/*',
            ],
          },
        ],
      },
      parameters: [
        { name: 'bucket', title: 'Bucket name', pattern: '^[a-z0-9.-]{3,63}$' },
      ],
    },
    {
      name: 'admin',
      title: 'Everything',
      inlinePolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      },
    },
  ],
});

describe('RoleService with presets, patterns, clusters and drift', () => {
  const request = {
    cluster: 'prod',
    namespace: 'payments',
    serviceAccount: 'api',
    roleName: 'api',
    entityRef: 'component:default/api',
    presets: [{ name: 's3-read-bucket', parameters: { bucket: 'reports' } }],
  };

  async function apply(roles: RoleService, r: object = request) {
    const planned = await roles.plan(r as typeof request);
    if (planned.state === 'missing') await roles.createRole(planned);
    else if (planned.trustChanged) await roles.updateTrust(planned);
    if (planned.boundaryDrifted) await roles.restoreBoundary(planned);
    for (const arn of planned.missingPolicyArns)
      await roles.attachPolicy(planned, arn);
    for (const p of planned.inlinePolicies)
      if (p.state !== 'ready') await roles.putInlinePolicy(planned, p.name);
    return planned;
  }

  it('writes the preset, then nothing on a re-run, then repairs each drift', async () => {
    const iam = fakeIam();
    const roles = new RoleService(testRegistry(presetConfig()), iam.gateways);
    const first = await apply(roles);
    expect(first.inlinePolicies).toEqual([
      {
        name: 'preset-s3-read-bucket',
        preset: 's3-read-bucket',
        documentJson: expect.stringContaining('"arn:aws:s3:::reports/*"'),
        state: 'missing',
      },
    ]);
    expect(iam.writes).toEqual([
      'CreateRole irsa-api',
      `AttachRolePolicy irsa-api ${DYNAMO}`,
      'PutRolePolicy irsa-api preset-s3-read-bucket',
    ]);

    iam.writes.length = 0;
    const again = await apply(roles);
    expect(again.state).toBe('ready');
    expect(iam.writes).toEqual([]);

    // By hand: the boundary removed, the policy detached, the inline policy edited.
    const role = iam.roles.get('irsa-api')!;
    role.permissionsBoundaryArn = undefined;
    role.attached = [];
    role.inline.set('preset-s3-read-bucket', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    });
    const repaired = await apply(roles);
    expect(repaired).toMatchObject({
      state: 'update',
      trustChanged: false,
      boundaryDrifted: true,
      missingPolicyArns: [DYNAMO],
    });
    expect(iam.writes).toEqual([
      'PutRolePermissionsBoundary irsa-api',
      `AttachRolePolicy irsa-api ${DYNAMO}`,
      'PutRolePolicy irsa-api preset-s3-read-bucket',
    ]);
    expect(role.permissionsBoundaryArn).toBe(BOUNDARY);

    // Replaced by another boundary by hand: the configured one goes back.
    iam.writes.length = 0;
    role.permissionsBoundaryArn = 'arn:aws:iam::111111111111:policy/wide-open';
    expect((await apply(roles)).boundaryDrifted).toBe(true);
    expect(iam.writes).toEqual(['PutRolePermissionsBoundary irsa-api']);
    expect(role.permissionsBoundaryArn).toBe(BOUNDARY);

    // Deleted by hand: written again. Reordered lists mean the same: left alone.
    iam.writes.length = 0;
    role.inline.delete('preset-s3-read-bucket');
    expect((await apply(roles)).inlinePolicies.map(p => p.state)).toEqual([
      'missing',
    ]);
    const stored = role.inline.get('preset-s3-read-bucket') as any;
    stored.Statement[0].Action.reverse();
    stored.Statement[0].Resource.reverse();
    iam.writes.length = 0;
    expect((await apply(roles)).state).toBe('ready');
    expect(iam.writes).toEqual([]);
  });

  it('adds a second cluster as its own statement, for the same entity only', async () => {
    const iam = fakeIam();
    const roles = new RoleService(testRegistry(presetConfig()), iam.gateways);
    await apply(roles);
    iam.writes.length = 0;
    await apply(roles, { ...request, cluster: 'dr' });
    expect(iam.writes).toEqual(['UpdateAssumeRolePolicy irsa-api']);
    const trust = iam.roles.get('irsa-api')!.trustPolicy as any;
    expect(trust.Statement.map((s: any) => s.Principal.Federated)).toEqual([
      'arn:aws:iam::111111111111:oidc-provider/oidc.example.com/id/PROD',
      'arn:aws:iam::111111111111:oidc-provider/oidc.example.com/id/DR',
    ]);
    await expect(
      roles.plan({
        ...request,
        cluster: 'dr',
        entityRef: 'component:default/x',
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('belongs to component:default/api'),
    });
  });

  it('refuses, before any call, what the guardrails do not allow', async () => {
    const iam = fakeIam();
    const roles = new RoleService(
      testRegistry(presetConfig({ allowedPolicyArns: [] })),
      iam.gateways,
    );
    const error = await roles
      .plan({
        ...request,
        serviceAccount: undefined,
        serviceAccountPattern: 'worker-*',
        presets: [
          { name: 's3-read-bucket', parameters: { bucket: 'Reports!' } },
          { name: 'admin' },
        ],
      })
      .catch(e => e);
    expect(error.name).toBe('InputError');
    for (const part of [
      'presets[0].parameters.bucket: Bucket name "Reports!" does not match',
      'presets[1].inlinePolicy.Statement[0]: The preset "admin" allows Action "*" on Resource "*"',
      `presets[0].name: Preset "s3-read-bucket" attaches ${DYNAMO}, which is not in irsa.guardrails.allowedPolicyArns`,
      'serviceAccountPattern: A ServiceAccount name pattern ("worker-*")',
      'irsa.guardrails.allowServiceAccountPatterns is off',
    ]) {
      expect(error.message).toContain(part);
    }
    expect(iam.writes).toEqual([]);
  });

  it('trusts a pattern with StringLike when the guardrail allows it', async () => {
    const iam = fakeIam();
    const roles = new RoleService(
      testRegistry(
        presetConfig({
          allowServiceAccountPatterns: true,
          allowAllActionsOnAllResources: true,
        }),
      ),
      iam.gateways,
    );
    const patterned = await apply(roles, {
      ...request,
      serviceAccount: undefined,
      serviceAccountPattern: 'worker-*',
      presets: [{ name: 'admin' }],
    });
    expect(
      JSON.parse(patterned.trustPolicyJson).Statement[0].Condition,
    ).toEqual({
      StringEquals: { 'oidc.example.com/id/PROD:aud': 'sts.amazonaws.com' },
      StringLike: {
        'oidc.example.com/id/PROD:sub':
          'system:serviceaccount:payments:worker-*',
      },
    });
    expect(iam.writes).toContain('PutRolePolicy irsa-api preset-admin');
    await expect(
      roles.plan({
        ...request,
        serviceAccount: 'api',
        serviceAccountPattern: 'worker-*',
        presets: [],
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'serviceAccount: The ServiceAccount "api" does not match serviceAccountPattern "worker-*"',
      ),
    });
    await expect(
      roles.plan({ ...request, serviceAccount: undefined, presets: [] }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'serviceAccount: Name the ServiceAccount',
      ),
    });
  });
});
