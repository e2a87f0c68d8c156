import { buildTrustPolicy } from '@backstage-irsa/plugin-irsa-common';
import { ConflictError } from '@backstage/errors';
import { testRegistry } from '../__testUtils__/testRegistry';
import type { ServiceAccountRecord } from '../kubernetes';
import type { AwsGatewayFactory } from './gateways';
import { RetirementService } from './RetirementService';
import type { KubernetesGatewayFactory } from './ServiceAccountService';

const ACCOUNT = '111111111111';
const HOST = 'oidc.example.com/id/PROD';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST}`;
const ENTITY = 'component:default/payments';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/irsa/irsa-payments`;
const OURS = {
  'backstage-irsa:managed-by': 'backstage-irsa',
  'backstage-irsa:entity-ref': ENTITY,
};

function trust(...names: string[]) {
  const built = buildTrustPolicy({
    providerArn: PROVIDER,
    subjects: names.map(name => ({ namespace: 'payments', name })),
  });
  if (!built.ok) throw new Error('bad trust');
  return built.value;
}

/** In-memory IAM (one role) and Kubernetes (one ServiceAccount), recording every write. */
function world(
  options: {
    role?: { tags: Record<string, string>; trustPolicy: unknown };
    sa?: Partial<ServiceAccountRecord>;
    applyConflictsOnce?: boolean;
  } = {},
) {
  const writes: string[] = [];
  let role = options.role && {
    arn: ROLE,
    name: 'irsa-payments',
    path: '/irsa/',
    ...options.role,
  };
  let sa: ServiceAccountRecord | undefined = options.sa && {
    namespace: 'payments',
    name: 'api',
    labels: {},
    annotations: {},
    uid: 'uid-1',
    resourceVersion: '1',
    ...options.sa,
  };
  let conflicts = options.applyConflictsOnce ?? false;
  const iam = {
    getRole: async () => role && structuredClone(role),
    listAttachedPolicyArns: async () => ['arn:aws:iam::aws:policy/S3'],
    listRolePolicyNames: async () => ['preset-s3'],
    detachPolicy: async (r: string, arn: string) => {
      writes.push(`DetachRolePolicy ${r} ${arn}`);
    },
    deleteRolePolicy: async (r: string, name: string) => {
      writes.push(`DeleteRolePolicy ${r} ${name}`);
    },
    deleteRole: async (r: string) => {
      writes.push(`DeleteRole ${r}`);
      role = undefined;
    },
    updateTrustPolicy: async (r: string, json: string) => {
      writes.push(`UpdateAssumeRolePolicy ${r}`);
      role = role && { ...role, trustPolicy: JSON.parse(json) };
    },
    tagRole: async (r: string) => {
      writes.push(`TagRole ${r}`);
    },
  };
  const gateways = {
    iam: async () => iam,
  } as unknown as AwsGatewayFactory;
  const k8s = {
    getServiceAccount: async () => sa && structuredClone(sa),
    deleteServiceAccount: async (t: { uid: string }) => {
      writes.push(`delete ${t.uid}`);
      sa = undefined;
    },
    applyServiceAccountMetadata: async (a: {
      labels: object;
      annotations: object;
      resourceVersion: string;
    }) => {
      if (conflicts) {
        conflicts = false;
        sa = sa && { ...sa, resourceVersion: '2' };
        throw new ConflictError('changed');
      }
      writes.push(
        `apply rv=${a.resourceVersion} ${JSON.stringify([
          a.labels,
          a.annotations,
        ])}`,
      );
    },
  };
  const registry = testRegistry({
    clusters: [
      {
        name: 'prod',
        accountId: ACCOUNT,
        region: 'eu-west-1',
        oidcIssuer: `https://${HOST}`,
        kubernetes: { url: 'https://k8s.example.com' },
      },
    ],
    guardrails: { deniedNamespaces: ['kube-*'] },
  });
  const service = new RetirementService(
    registry,
    gateways,
    (() => k8s) as unknown as KubernetesGatewayFactory,
  );
  return { service, writes };
}

const request = (extra: object = {}) => ({
  cluster: 'prod',
  namespace: 'payments',
  serviceAccount: 'api',
  entityRef: ENTITY,
  ...extra,
});

const created = {
  labels: { 'app.kubernetes.io/managed-by': 'backstage-irsa' },
  annotations: {
    'eks.amazonaws.com/role-arn': ROLE,
    'irsa.backstage.io/entity-ref': ENTITY,
  },
};

describe('RetirementService.plan', () => {
  it('deletes a role only this ServiceAccount may assume, and the ServiceAccount it created', async () => {
    const { service } = world({
      role: { tags: OURS, trustPolicy: trust('api') },
      sa: created,
    });
    const plan = await service.plan(request());
    expect(plan.role).toMatchObject({
      state: 'delete',
      roleArn: ROLE,
      roleName: 'irsa-payments',
      attachedPolicyArns: ['arn:aws:iam::aws:policy/S3'],
      inlinePolicyNames: ['preset-s3'],
      stillTrusted: [],
    });
    expect(plan.serviceAccount).toMatchObject({
      state: 'delete',
      uid: 'uid-1',
      resourceVersion: '1',
      roleArn: ROLE,
    });
  });

  it('only takes the ServiceAccount out of a role that trusts others', async () => {
    const { service } = world({
      role: { tags: OURS, trustPolicy: trust('api', 'worker') },
      sa: created,
    });
    const plan = await service.plan(request());
    expect(plan.role.state).toBe('untrust');
    expect(plan.role.stillTrusted).toEqual([
      `system:serviceaccount:payments:worker via ${HOST}`,
    ]);
    expect(JSON.parse(plan.role.trustPolicyJson!)).toEqual(trust('worker'));
    expect(plan.role.attachedPolicyArns).toEqual([]);
  });

  it.each([
    [
      'another entity',
      { ...OURS, 'backstage-irsa:entity-ref': 'component:default/other' },
      'belongs to component:default/other',
    ],
    [
      'nobody (no entity tag)',
      { 'backstage-irsa:managed-by': 'backstage-irsa' },
      'has no backstage-irsa:entity-ref tag',
    ],
    ['someone else (unmanaged)', {}, 'was not created by backstage-irsa'],
  ])('refuses a role of %s with NotAllowedError', async (_, tags, message) => {
    const { service, writes } = world({
      role: { tags, trustPolicy: trust('api') },
    });
    await expect(
      service.plan(request({ roleArn: ROLE })),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(message),
    });
    expect(writes).toEqual([]);
  });

  it('refuses a role in an account the cluster may not use, and bad input, before any read', async () => {
    const { service } = world();
    await expect(
      service.plan(
        request({ roleArn: 'arn:aws:iam::999999999999:role/irsa/irsa-x' }),
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const error = await service
      .plan(
        request({
          namespace: 'kube-system',
          serviceAccount: 'A',
          roleArn: 'x',
        }),
      )
      .catch(e => e);
    expect(error.name).toBe('InputError');
    for (const field of ['serviceAccount:', 'roleArn:', 'kube-system']) {
      expect(error.message).toContain(field);
    }
  });

  it('releases an adopted ServiceAccount instead of deleting it', async () => {
    const { service } = world({
      sa: {
        labels: { 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: {
          'meta.helm.sh/release-name': 'payments',
          'irsa.backstage.io/adopted-by': ENTITY,
        },
      },
    });
    const plan = await service.plan(request());
    expect(plan.serviceAccount).toMatchObject({
      state: 'release',
      creator: 'Helm release "payments"',
    });
    expect(plan.role.state).toBe('none');
  });

  it("refuses to change another entity's or a foreign ServiceAccount that uses the role, naming the fix", async () => {
    const helm = {
      labels: { 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: {
        'meta.helm.sh/release-name': 'payments',
        'eks.amazonaws.com/role-arn': ROLE,
      },
    };
    const { service } = world({
      role: { tags: OURS, trustPolicy: trust('api') },
      sa: helm,
    });
    await expect(
      service.plan(request({ roleArn: ROLE })),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /was made by Helm release "payments".*remove eks\.amazonaws\.com\/role-arn from the Helm release's values/,
      ),
    });
    await expect(service.plan(request())).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('give roleArn'),
    });
    const other = world({
      role: {
        tags: {
          ...OURS,
          'backstage-irsa:entity-ref': 'component:default/other',
        },
        trustPolicy: trust('api'),
      },
      sa: {
        ...created,
        annotations: {
          ...created.annotations,
          'irsa.backstage.io/entity-ref': 'component:default/other',
        },
      },
    });
    await expect(other.service.plan(request())).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'was created for component:default/other',
      ),
    });
  });

  it('leaves a foreign ServiceAccount alone once the role it names is gone, so a re-run after a release passes', async () => {
    const { service } = world({
      sa: {
        labels: { 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: { 'eks.amazonaws.com/role-arn': ROLE },
      },
    });
    for (const roleArn of [undefined, ROLE]) {
      const plan = await service.plan(request({ roleArn }));
      expect(plan.serviceAccount).toMatchObject({
        state: 'keep',
        why: expect.stringContaining(`it still names ${ROLE}`),
      });
      expect(plan.role.state).toBe(roleArn ? 'gone' : 'none');
    }
  });

  it('leaves a ServiceAccount alone that does not use the role, and one that uses another role', async () => {
    const foreign = world({
      role: { tags: OURS, trustPolicy: trust('api') },
      sa: { annotations: {} },
    });
    const plan = await foreign.service.plan(request({ roleArn: ROLE }));
    expect(plan.serviceAccount.state).toBe('keep');
    expect(plan.role.state).toBe('delete');

    const moved = world({
      role: { tags: OURS, trustPolicy: trust('api') },
      sa: {
        ...created,
        annotations: {
          ...created.annotations,
          'eks.amazonaws.com/role-arn': `${ROLE}-v2`,
        },
      },
    });
    const plan2 = await moved.service.plan(request({ roleArn: ROLE }));
    expect(plan2.serviceAccount).toMatchObject({
      state: 'keep',
      why: expect.stringContaining(`uses another role, ${ROLE}-v2`),
    });
  });

  it('plans nothing when the role and the ServiceAccount are gone', async () => {
    const { service } = world();
    const plan = await service.plan(request({ roleArn: ROLE }));
    expect(plan.role.state).toBe('gone');
    expect(plan.serviceAccount.state).toBe('gone');
  });
});

describe('RetirementService writes', () => {
  it('detaches, deletes the inline policies, the role and the ServiceAccount', async () => {
    const { service, writes } = world({
      role: { tags: OURS, trustPolicy: trust('api') },
      sa: created,
    });
    const { role, serviceAccount } = await service.plan(request());
    await service.detachPolicy(role, role.attachedPolicyArns[0]);
    await service.deleteInlinePolicy(role, role.inlinePolicyNames[0]);
    await service.deleteRole(role);
    await service.retireServiceAccount(serviceAccount);
    expect(writes).toEqual([
      'DetachRolePolicy irsa-payments arn:aws:iam::aws:policy/S3',
      'DeleteRolePolicy irsa-payments preset-s3',
      'DeleteRole irsa-payments',
      'delete uid-1',
    ]);
  });

  it('does not delete a role whose trust changed since the plan', async () => {
    const { service, writes } = world({
      role: { tags: OURS, trustPolicy: trust('api') },
    });
    const { role } = await service.plan(request({ roleArn: ROLE }));
    const changed = { ...role, trustPolicyJson: '{"Statement":[]}' };
    await expect(service.deleteRole(changed)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(writes).toEqual([]);
  });

  it('writes the smaller trust and stamps it', async () => {
    const { service, writes } = world({
      role: { tags: OURS, trustPolicy: trust('api', 'worker') },
    });
    const { role } = await service.plan(request({ roleArn: ROLE }));
    await service.removeFromTrust(role);
    expect(writes).toEqual([
      'UpdateAssumeRolePolicy irsa-payments',
      'TagRole irsa-payments',
    ]);
  });

  it('releases with an apply of no fields, planning again once after a conflict', async () => {
    const { service, writes } = world({
      sa: {
        annotations: { 'irsa.backstage.io/adopted-by': ENTITY },
      },
      applyConflictsOnce: true,
    });
    const { serviceAccount } = await service.plan(request());
    await service.retireServiceAccount(serviceAccount);
    expect(writes).toEqual(['apply rv=2 [{},{}]']);
  });
});
