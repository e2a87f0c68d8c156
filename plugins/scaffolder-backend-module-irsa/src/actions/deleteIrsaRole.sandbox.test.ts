import {
  CreateRoleCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import {
  BACKSTAGE_K8S_USER,
  coreV1,
  createManagedRole,
  describeSandbox,
  freshNamespace,
  iamFor,
  k8sWrites,
  peerRequests,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import {
  countedRoleActions,
  S3_READ,
} from '../__testUtils__/countedRoleActions';
import { mockContext } from '../__testUtils__/mockContext';

// aws:irsa:delete-role against the sandbox's moto and kube-apiserver, after the request
// actions made what it removes. Writes are counted from the peers' own logs: moto's request
// log by this service's own AWS key (countedRoleActions), the apiserver's audit log by the
// backend's ServiceAccount and the test's fresh namespace.

const PRESETS = [
  {
    name: 's3-read-bucket',
    title: 'Read one S3 bucket',
    inlinePolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:${partition}:s3:::${bucket}/*',
        },
      ],
    },
    parameters: [
      {
        name: 'bucket',
        title: 'Bucket',
        pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
      },
    ],
  },
];

const hashOf = (entityRef: string) =>
  createHash('sha256').update(entityRef).digest('hex').slice(0, 40);

async function roleExists(accountId: string, name: string) {
  try {
    await iamFor(accountId).send(new GetRoleCommand({ RoleName: name }));
    return true;
  } catch (e) {
    if (e instanceof NoSuchEntityException) return false;
    throw e;
  }
}

async function storedTrust(accountId: string, name: string) {
  const { Role } = await iamFor(accountId).send(
    new GetRoleCommand({ RoleName: name }),
  );
  return JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
}

async function attached(accountId: string, name: string) {
  const { AttachedPolicies } = await iamFor(accountId).send(
    new ListAttachedRolePoliciesCommand({ RoleName: name }),
  );
  return (AttachedPolicies ?? []).map(p => p.PolicyArn);
}

const readSa = (namespace: string, name: string) =>
  coreV1()
    .readNamespacedServiceAccount({ namespace, name })
    .catch(e => {
      if (e.code === 404) return undefined;
      throw e;
    });

/**
 * The ServiceAccount `helm install` leaves: created with field manager "helm", with the
 * chart's `annotations` (its values may set the role annotation).
 */
async function createHelmServiceAccount(
  namespace: string,
  name: string,
  annotations: Record<string, string> = {},
) {
  await coreV1().createNamespacedServiceAccount({
    namespace,
    fieldManager: 'helm',
    body: {
      metadata: {
        name,
        labels: {
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/name': 'payments',
        },
        annotations: {
          'meta.helm.sh/release-name': 'payments',
          'meta.helm.sh/release-namespace': namespace,
          ...annotations,
        },
      },
      automountServiceAccountToken: false,
    },
  });
}

describeSandbox('aws:irsa:delete-role against the sandbox', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(180_000);
  const t = countedRoleActions({ presets: PRESETS });
  const account = t.env.clusterAccountId;

  async function run(
    action: { handler: (ctx: any) => Promise<void> },
    input: Record<string, unknown>,
    dryRun = false,
  ) {
    const logger = mockServices.logger.mock();
    const ctx = { ...mockContext(input as any, { dryRun }), logger };
    await action.handler(ctx);
    const lines = [...logger.info.mock.calls, ...logger.warn.mock.calls];
    return { ctx, logs: lines.map(c => String(c[0])).join('\n') };
  }

  /** What "Request AWS access" does: role (with a managed and an inline policy) and SA. */
  async function requestAccess(input: {
    cluster: string;
    namespace: string;
    serviceAccount: string;
    roleName: string;
    entityRef: string;
    adoptExisting?: boolean;
    /** false: the role only, as when the ServiceAccount step has not run yet. */
    withServiceAccount?: boolean;
  }) {
    const { withServiceAccount = true, ...fields } = input;
    const request = {
      ...fields,
      policyArns: [S3_READ],
      presets: [{ name: 's3-read-bucket', parameters: { bucket: 'reports' } }],
    };
    await run(t.oidc, request);
    const role = await run(t.role, request);
    const roleArn = (role.ctx.output as jest.Mock).mock.calls.find(
      (c: unknown[]) => c[0] === 'roleArn',
    )![1] as string;
    if (!withServiceAccount) return roleArn;
    await run(t.sa, {
      cluster: input.cluster,
      namespace: input.namespace,
      serviceAccount: input.serviceAccount,
      roleArn,
      entityRef: input.entityRef,
      ...(input.adoptExisting ? { adoptExisting: true } : {}),
    });
    return roleArn;
  }

  it('removes what a request made: a dry run writes nothing, the run deletes policies, role and ServiceAccount, a second run writes nothing', async () => {
    const namespace = await freshNamespace('retire');
    const entityRef = `component:default/${uniqueName('retire')}`;
    const name = uniqueName('rt');
    const role = `irsa-${name}`;
    const roleArn = await requestAccess({
      cluster: 'c1',
      namespace,
      serviceAccount: 'api',
      roleName: name,
      entityRef,
    });
    const input = {
      cluster: 'c1',
      namespace,
      serviceAccount: 'api',
      entityRef,
    };

    // A dry run reads, logs the plan and writes nothing.
    let mark = await peerRequests.mark();
    const dry = await run(t.remove, input, true);
    let seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([]);
    expect(seen.k8sWrites).toEqual([]);
    expect(dry.logs).toContain(
      `IAM role ${roleArn}: delete it (nobody else may assume it): detach ${S3_READ}; delete the inline policy preset-s3-read-bucket; then delete the role`,
    );
    expect(dry.logs).toContain(
      `ServiceAccount ${namespace}/api on cluster c1: delete it (backstage-irsa created it for ${entityRef})`,
    );
    expect(dry.logs).toContain('Dry run: nothing was changed.');
    expect(await roleExists(account, role)).toBe(true);

    // The removal: exactly these writes, in this order.
    mark = await peerRequests.mark();
    const done = await run(t.remove, input);
    seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([
      `DetachRolePolicy ${role}`,
      `DeleteRolePolicy ${role}`,
      `DeleteRole ${role}`,
    ]);
    expect(
      seen.k8sWrites.map(w => [w.user, w.verb, w.resource, w.name, w.code]),
    ).toEqual([[BACKSTAGE_K8S_USER, 'delete', 'serviceaccounts', 'api', 200]]);
    expect(await roleExists(account, role)).toBe(false);
    expect(await readSa(namespace, 'api')).toBeUndefined();
    expect(done.ctx.output).toHaveBeenCalledWith('roleArn', roleArn);
    expect(done.ctx.output).toHaveBeenCalledWith('roleDeleted', true);
    expect(done.ctx.output).toHaveBeenCalledWith('serviceAccountDeleted', true);

    // Again, with and without the role named: nothing left, nothing written.
    mark = await peerRequests.mark();
    const again = await run(t.remove, input);
    const named = await run(t.remove, { ...input, roleArn });
    seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([]);
    expect(seen.k8sWrites).toEqual([]);
    expect(again.logs).toContain('Nothing to change');
    expect(named.logs).toContain(`IAM role ${roleArn}: already gone`);
    expect(named.ctx.output).toHaveBeenCalledWith('roleDeleted', false);
  });

  it("refuses another entity's role, an unmanaged one and one without an entity tag, with zero writes", async () => {
    const namespace = await freshNamespace('retire-refuse');
    const entityRef = `component:default/${uniqueName('retire-refuse')}`;
    const theirs = await createManagedRole(
      `irsa-${uniqueName('theirs')}`,
      'component:default/someone-else',
      account,
    );
    const untagged = await createManagedRole(
      `irsa-${uniqueName('noentity')}`,
      undefined,
      account,
    );
    const unmanagedName = `irsa-${uniqueName('terraform')}`;
    await iamFor(account).send(
      new CreateRoleCommand({
        RoleName: unmanagedName,
        Path: '/irsa/',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [],
        }),
      }),
    );
    const unmanaged = `arn:aws:iam::${account}:role/irsa/${unmanagedName}`;
    const cases: Array<[string, string]> = [
      [theirs, 'belongs to component:default/someone-else'],
      [untagged, 'has no backstage-irsa:entity-ref tag'],
      [unmanaged, 'was not created by backstage-irsa'],
      [
        `arn:aws:iam::333333333333:role/irsa/irsa-x`,
        'is not an account of cluster "c1"',
      ],
    ];
    for (const [roleArn, message] of cases) {
      const mark = await peerRequests.mark();
      await expect(
        run(t.remove, {
          cluster: 'c1',
          namespace,
          serviceAccount: 'api',
          entityRef,
          roleArn,
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(message),
      });
      const seen = await t.requestsSince(mark, namespace);
      expect(seen.awsWrites).toEqual([]);
      expect(seen.k8sWrites).toEqual([]);
    }
    for (const roleArn of [theirs, untagged, unmanaged]) {
      expect(await roleExists(account, roleArn.split('/').pop()!)).toBe(true);
    }
  });

  it("keeps a shared role: takes out only this ServiceAccount's subject, then the next, and deletes it with the last", async () => {
    const namespace = await freshNamespace('retire-shared');
    const entityRef = `component:default/${uniqueName('retire-shared')}`;
    const name = uniqueName('sh');
    const role = `irsa-${name}`;
    const base = { namespace, roleName: name, entityRef };
    // One role: api and worker on c1, api on c2 (a second cluster's statement).
    const roleArn = await requestAccess({
      ...base,
      cluster: 'c1',
      serviceAccount: 'api',
    });
    await requestAccess({ ...base, cluster: 'c1', serviceAccount: 'worker' });
    await requestAccess({ ...base, cluster: 'c2', serviceAccount: 'api' });
    const subjectsOf = async () =>
      (await storedTrust(account, role)).Statement.map(
        (s: any) =>
          `${s.Principal.Federated.split('/').slice(-1)[0]} ${[]
            .concat(
              Object.entries(s.Condition.StringEquals).find(([k]) =>
                k.endsWith(':sub'),
              )![1] as any,
            )
            .join(',')}`,
      );
    const [h1, h2] = t.hostPaths.map(h => h.split('/').pop());
    expect((await subjectsOf()).sort()).toEqual(
      [
        `${h1} system:serviceaccount:${namespace}:api,system:serviceaccount:${namespace}:worker`,
        `${h2} system:serviceaccount:${namespace}:api`,
      ].sort(),
    );

    // api on c1: the role stays (worker on c1, api on c2), its policies too.
    let mark = await peerRequests.mark();
    const first = await run(t.remove, {
      cluster: 'c1',
      namespace,
      serviceAccount: 'api',
      entityRef,
    });
    let seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([
      `UpdateAssumeRolePolicy ${role}`,
      `TagRole ${role}`,
    ]);
    // The ServiceAccount object is shared by both clusters here (one apiserver).
    expect(seen.k8sWrites.map(w => [w.verb, w.name])).toEqual([
      ['delete', 'api'],
    ]);
    expect(first.logs).toContain(
      `keep it, it still trusts system:serviceaccount:${namespace}:worker via ${t.hostPaths[0]}, system:serviceaccount:${namespace}:api via ${t.hostPaths[1]}`,
    );
    expect(first.ctx.output).toHaveBeenCalledWith('trustUpdated', true);
    expect(first.ctx.output).toHaveBeenCalledWith('roleDeleted', false);
    expect((await subjectsOf()).sort()).toEqual(
      [
        `${h1} system:serviceaccount:${namespace}:worker`,
        `${h2} system:serviceaccount:${namespace}:api`,
      ].sort(),
    );
    expect(await attached(account, role)).toEqual([S3_READ]);
    expect(await readSa(namespace, 'worker')).toBeDefined();

    // worker on c1: c1's statement goes, c2's stays.
    await run(t.remove, {
      cluster: 'c1',
      namespace,
      serviceAccount: 'worker',
      entityRef,
    });
    expect(await subjectsOf()).toEqual([
      `${h2} system:serviceaccount:${namespace}:api`,
    ]);
    expect(await readSa(namespace, 'worker')).toBeUndefined();

    // api on c2, its ServiceAccount already gone: named by roleArn, the last subject.
    mark = await peerRequests.mark();
    await run(t.remove, {
      cluster: 'c2',
      namespace,
      serviceAccount: 'api',
      entityRef,
      roleArn,
    });
    seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([
      `DetachRolePolicy ${role}`,
      `DeleteRolePolicy ${role}`,
      `DeleteRole ${role}`,
    ]);
    expect(seen.k8sWrites).toEqual([]);
    expect(await roleExists(account, role)).toBe(false);
  });

  it("releases an adopted Helm ServiceAccount: only backstage-irsa's fields go, Helm's fields and managedFields stay, never deleted", async () => {
    const namespace = await freshNamespace('retire-helm');
    const entityRef = `component:default/${uniqueName('retire-helm')}`;
    const entityName = entityRef.split('/')[1];
    const name = uniqueName('hm');
    const role = `irsa-${name}`;
    await createHelmServiceAccount(namespace, 'payments');
    const before = await readSa(namespace, 'payments');
    await requestAccess({
      cluster: 'c1',
      namespace,
      serviceAccount: 'payments',
      roleName: name,
      entityRef,
      adoptExisting: true,
    });
    const adopted = await readSa(namespace, 'payments');
    expect(adopted!.metadata!.annotations).toMatchObject({
      'irsa.backstage.io/adopted-by': entityRef,
    });
    expect(adopted!.metadata!.labels).toMatchObject({
      'irsa.backstage.io/entity-hash': hashOf(entityRef),
      'backstage.io/kubernetes-id': entityName,
    });
    const input = {
      cluster: 'c1',
      namespace,
      serviceAccount: 'payments',
      entityRef,
    };

    const dry = await run(t.remove, input, true);
    expect(dry.logs).toContain(
      `ServiceAccount ${namespace}/payments on cluster c1: release it, not delete it: backstage-irsa adopted it for ${entityRef} from Helm release "payments"`,
    );

    let mark = await peerRequests.mark();
    const done = await run(t.remove, input);
    const seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([
      `DetachRolePolicy ${role}`,
      `DeleteRolePolicy ${role}`,
      `DeleteRole ${role}`,
    ]);
    // One server-side apply, no delete.
    expect(seen.k8sWrites.map(w => [w.user, w.verb, w.name, w.code])).toEqual([
      [BACKSTAGE_K8S_USER, 'patch', 'payments', 200],
    ]);
    expect(done.ctx.output).toHaveBeenCalledWith(
      'serviceAccountReleased',
      true,
    );
    expect(done.ctx.output).toHaveBeenCalledWith(
      'serviceAccountDeleted',
      false,
    );

    // Back to what Helm made: its labels, annotations and managedFields entry, the rest.
    const after = await readSa(namespace, 'payments');
    expect(after).toBeDefined();
    expect(after!.metadata!.uid).toBe(before!.metadata!.uid);
    expect(after!.metadata!.annotations).toEqual(before!.metadata!.annotations);
    expect(after!.metadata!.labels).toEqual(before!.metadata!.labels);
    expect(after!.automountServiceAccountToken).toBe(false);
    const managers = (sa: typeof after) =>
      sa!.metadata!.managedFields!.map(m => ({
        manager: m.manager,
        operation: m.operation,
        fieldsV1: m.fieldsV1,
      }));
    expect(managers(after)).toEqual(managers(before));

    // A second run: the ServiceAccount is Helm's again, naming no role: nothing written.
    mark = await peerRequests.mark();
    const again = await run(t.remove, input);
    const second = await t.requestsSince(mark, namespace);
    expect(second.awsWrites).toEqual([]);
    expect(second.k8sWrites).toEqual([]);
    expect(again.logs).toContain('Nothing to change');
  });

  it('keeps the role annotation a Helm chart sets too, saying so', async () => {
    const namespace = await freshNamespace('retire-helm-ann');
    const entityRef = `component:default/${uniqueName('retire-helm-ann')}`;
    const name = uniqueName('ha');
    const roleArn = `arn:aws:iam::${account}:role/irsa/irsa-${name}`;
    // The chart's values already name the role the request will create.
    await createHelmServiceAccount(namespace, 'payments', {
      'eks.amazonaws.com/role-arn': roleArn,
    });
    const before = await readSa(namespace, 'payments');
    await requestAccess({
      cluster: 'c1',
      namespace,
      serviceAccount: 'payments',
      roleName: name,
      entityRef,
      adoptExisting: true,
    });
    const done = await run(t.remove, {
      cluster: 'c1',
      namespace,
      serviceAccount: 'payments',
      entityRef,
    });
    const after = await readSa(namespace, 'payments');
    expect(after!.metadata!.annotations).toEqual(before!.metadata!.annotations);
    expect(after!.metadata!.labels).toEqual(before!.metadata!.labels);
    expect(done.logs).toContain(
      `ServiceAccount ${namespace}/payments keeps annotation eks.amazonaws.com/role-arn: another tool also sets it`,
    );
    // Run again: Helm's ServiceAccount names a role that is gone now: left alone, no write.
    const mark = await peerRequests.mark();
    await run(t.remove, {
      cluster: 'c1',
      namespace,
      serviceAccount: 'payments',
      entityRef,
    });
    const seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([]);
    expect(seen.k8sWrites).toEqual([]);
  });

  it('refuses a Helm ServiceAccount that uses the role, with the fix, and writes nothing', async () => {
    const namespace = await freshNamespace('retire-helm-refuse');
    const entityRef = `component:default/${uniqueName('retire-helm-refuse')}`;
    const name = uniqueName('hr');
    const role = `irsa-${name}`;
    // The chart names the entity's role itself; the role trusts its ServiceAccount, which
    // backstage-irsa never adopted.
    await createHelmServiceAccount(namespace, 'payments', {
      'eks.amazonaws.com/role-arn': `arn:aws:iam::${account}:role/irsa/${role}`,
    });
    const roleArn = await requestAccess({
      cluster: 'c1',
      namespace,
      serviceAccount: 'payments',
      roleName: name,
      entityRef,
      adoptExisting: true,
      withServiceAccount: false,
    });
    const before = await readSa(namespace, 'payments');
    const mark = await peerRequests.mark();
    for (const [extra, fix] of [
      [{}, 'give roleArn'],
      [
        { roleArn },
        "remove eks.amazonaws.com/role-arn from the Helm release's values",
      ],
    ] as const) {
      await expect(
        run(t.remove, {
          cluster: 'c1',
          namespace,
          serviceAccount: 'payments',
          entityRef,
          ...extra,
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(fix),
      });
    }
    const seen = await t.requestsSince(mark, namespace);
    expect(seen.awsWrites).toEqual([]);
    expect(k8sWrites(seen.k8sWrites)).toEqual([]);
    expect(await readSa(namespace, 'payments')).toEqual(before);
    expect(await roleExists(account, role)).toBe(true);
  });
});
