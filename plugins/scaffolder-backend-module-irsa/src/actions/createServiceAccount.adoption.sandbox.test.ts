import {
  BACKSTAGE_K8S_USER,
  coreV1,
  createManagedRole,
  describeSandbox,
  freshNamespace,
  k8sWrites,
  peerRequests,
  sandboxEnv,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import { createServiceAccountAction } from './createServiceAccount';

// Adoption of a Helm-style ServiceAccount against the sandbox's real kube-apiserver, as the
// backstage-irsa ServiceAccount with the ClusterRole of docs/rbac: what reaches the
// apiserver is counted from its audit log, and the object is compared field by field, its
// managedFields included.

const hashOf = (entityRef: string) =>
  createHash('sha256').update(entityRef).digest('hex').slice(0, 40);

/** The ServiceAccount `helm install` leaves: created with field manager "helm". */
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
          'helm.sh/chart': 'payments-1.2.3',
        },
        annotations: {
          'meta.helm.sh/release-name': 'payments',
          'meta.helm.sh/release-namespace': namespace,
          ...annotations,
        },
      },
      imagePullSecrets: [{ name: 'registry-credentials' }],
      automountServiceAccountToken: false,
    },
  });
}

const read = (namespace: string, name: string) =>
  coreV1().readNamespacedServiceAccount({ namespace, name });
type V1ServiceAccount = Awaited<ReturnType<typeof read>>;

/** Everything but what the apply may change: the two maps, managedFields, the version. */
function untouchedPart(sa: V1ServiceAccount) {
  const {
    labels: _l,
    annotations: _a,
    managedFields: _m,
    resourceVersion: _r,
    ...metadata
  } = sa.metadata!;
  return { ...sa, metadata };
}

const managerEntry = (sa: V1ServiceAccount, manager: string) =>
  sa.metadata!.managedFields!.filter(m => m.manager === manager);

describeSandbox('k8s:create-sa adopts a Helm ServiceAccount (sandbox)', () => {
  jest.setTimeout(60_000);
  const env = sandboxEnv();
  const irsaService = sandboxIrsaService({
    guardrails: { deniedNamespaces: ['kube-*'] },
  });
  const action = createServiceAccountAction(testActionOptions(irsaService));

  async function run(input: Record<string, unknown>, dryRun = false) {
    const logger = mockServices.logger.mock();
    const ctx = { ...mockContext(input as any, { dryRun }), logger };
    await action.handler(ctx as any);
    return {
      ctx,
      logs: logger.info.mock.calls.map(c => String(c[0])).join('\n'),
    };
  }

  /** What the backend wrote to the namespace since `mark`, from the audit log. */
  async function writesSince(
    mark: Awaited<ReturnType<typeof peerRequests.mark>>,
    namespace: string,
  ) {
    return k8sWrites((await peerRequests.since(mark)).k8s).filter(
      r => r.namespace === namespace,
    );
  }

  it('refuses without the opt-in, adopts with it (only its fields, every other field and manager kept), then writes nothing, and refuses another entity', async () => {
    const namespace = await freshNamespace('adopt');
    const entityRef = `component:default/${uniqueName('adopt')}`;
    const entityName = entityRef.split('/')[1];
    const roleArn = await createManagedRole(
      `irsa-${uniqueName('adopt')}`,
      entityRef,
      env.clusterAccountId,
    );
    await createHelmServiceAccount(namespace, 'payments');
    const before = await read(namespace, 'payments');
    const input = {
      entityRef,
      cluster: 'sandbox',
      namespace,
      serviceAccount: 'payments',
      roleArn,
    };

    // 1. Without the opt-in: refused, naming it; nothing written.
    let mark = await peerRequests.mark();
    await expect(run(input)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('adoptExisting: true'),
    });
    expect(await writesSince(mark, namespace)).toEqual([]);
    expect(await read(namespace, 'payments')).toEqual(before);

    // 2. A dry run with the opt-in says what it would apply, and writes nothing.
    mark = await peerRequests.mark();
    const dry = await run({ ...input, adoptExisting: true }, true);
    expect(dry.logs).toContain('Dry run: would adopt ServiceAccount');
    expect(dry.logs).toContain(
      `annotation eks.amazonaws.com/role-arn=${roleArn}`,
    );
    expect(await writesSince(mark, namespace)).toEqual([]);

    // 3. With the opt-in: one server-side apply by the backend, of exactly our fields.
    mark = await peerRequests.mark();
    const adopted = await run({ ...input, adoptExisting: true });
    const writes = await writesSince(mark, namespace);
    expect(writes.map(w => [w.user, w.verb, w.name, w.code])).toEqual([
      [BACKSTAGE_K8S_USER, 'patch', 'payments', 200],
    ]);
    expect(adopted.logs).toContain(
      `recorded as annotation irsa.backstage.io/adopted-by=${entityRef}`,
    );
    expect(adopted.logs).toContain(
      'On the next upgrade of Helm release "payments"',
    );

    const after = await read(namespace, 'payments');
    expect(after.metadata!.annotations).toEqual({
      ...before.metadata!.annotations,
      'eks.amazonaws.com/role-arn': roleArn,
      'irsa.backstage.io/adopted-by': entityRef,
    });
    expect(after.metadata!.labels).toEqual({
      ...before.metadata!.labels, // app.kubernetes.io/managed-by stays Helm
      'irsa.backstage.io/entity-hash': hashOf(entityRef),
      'backstage.io/kubernetes-id': entityName,
    });
    expect(untouchedPart(after)).toEqual(untouchedPart(before));
    expect(managerEntry(after, 'helm')).toEqual(managerEntry(before, 'helm'));
    expect(
      managerEntry(after, 'backstage-irsa').map(m => ({
        operation: m.operation,
        fieldsV1: m.fieldsV1,
      })),
    ).toEqual([
      {
        operation: 'Apply',
        fieldsV1: {
          'f:metadata': {
            'f:annotations': {
              'f:eks.amazonaws.com/role-arn': {},
              'f:irsa.backstage.io/adopted-by': {},
            },
            'f:labels': {
              'f:backstage.io/kubernetes-id': {},
              'f:irsa.backstage.io/entity-hash': {},
            },
          },
        },
      },
    ]);
    expect(after.metadata!.managedFields).toHaveLength(2);

    // The adoption is the entity's now: its status lists it without any catalog claim.
    expect(
      await irsaService.status.isBindingOf(
        {
          kind: 'Component',
          metadata: { name: entityName, namespace: 'default' },
        },
        { cluster: 'sandbox', namespace, name: 'payments' },
      ),
    ).toBe(true);

    // 4. Re-runs, with or without the opt-in, write nothing.
    mark = await peerRequests.mark();
    await run({ ...input, adoptExisting: true });
    await run(input);
    expect(await writesSince(mark, namespace)).toEqual([]);
    expect((await read(namespace, 'payments')).metadata!.resourceVersion).toBe(
      after.metadata!.resourceVersion,
    );

    // 5. Another entity adopting it: refused, nothing written.
    const other = `component:default/${uniqueName('adopt-other')}`;
    const otherRole = await createManagedRole(
      `irsa-${uniqueName('adopt-other')}`,
      other,
      env.clusterAccountId,
    );
    mark = await peerRequests.mark();
    await expect(
      run({
        ...input,
        entityRef: other,
        roleArn: otherRole,
        adoptExisting: true,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `was adopted by backstage-irsa for ${entityRef}`,
      ),
    });
    expect(await writesSince(mark, namespace)).toEqual([]);
    expect(await read(namespace, 'payments')).toEqual(after);
  });

  it("refuses to take the role annotation from Helm, explaining who owns it, even for the entity's own older role", async () => {
    const namespace = await freshNamespace('adopt-conflict');
    const entityRef = `component:default/${uniqueName('adopt-conflict')}`;
    const oldRole = await createManagedRole(
      `irsa-${uniqueName('adopt-old')}`,
      entityRef,
      env.clusterAccountId,
    );
    const roleArn = await createManagedRole(
      `irsa-${uniqueName('adopt-new')}`,
      entityRef,
      env.clusterAccountId,
    );
    // The chart itself sets the annotation (serviceAccount.annotations in its values).
    await createHelmServiceAccount(namespace, 'api', {
      'eks.amazonaws.com/role-arn': oldRole,
    });
    const before = await read(namespace, 'api');

    const mark = await peerRequests.mark();
    await expect(
      run({
        entityRef,
        cluster: 'sandbox',
        namespace,
        serviceAccount: 'api',
        roleArn,
        adoptExisting: true,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /\.metadata\.annotations\.eks\.amazonaws\.com\/role-arn \(field manager "helm"\).*nothing was changed.*values of Helm release "payments"/,
      ),
    });
    // The apply reached the apiserver and was refused there (never forced).
    const writes = await writesSince(mark, namespace);
    expect(writes.map(w => [w.verb, w.code])).toEqual([['patch', 409]]);
    expect(await read(namespace, 'api')).toEqual(before);
  });

  it('never applies to a ServiceAccount deleted or replaced since the plan: it plans again', async () => {
    const namespace = await freshNamespace('adopt-race');
    const entityRef = `component:default/${uniqueName('adopt-race')}`;
    const roleArn = await createManagedRole(
      `irsa-${uniqueName('adopt-race')}`,
      entityRef,
      env.clusterAccountId,
    );
    await createHelmServiceAccount(namespace, 'api');
    const plan = await irsaService.serviceAccounts.plan({
      cluster: 'sandbox',
      namespace,
      name: 'api',
      roleArn,
      entityRef,
      adoptExisting: true,
    });
    expect(plan.state).toBe('adopt');
    await coreV1().deleteNamespacedServiceAccount({ namespace, name: 'api' });

    const mark = await peerRequests.mark();
    await irsaService.serviceAccounts.adopt(plan);
    // The apply was refused on its uid precondition (an apply would otherwise create the
    // object from our four fields); the new plan found it missing and created the
    // product's own ServiceAccount, as a re-run would.
    const writes = await writesSince(mark, namespace);
    expect(writes.map(w => [w.verb, w.code])).toEqual([
      ['patch', 409],
      ['create', 201],
    ]);
    const made = await read(namespace, 'api');
    expect(made.metadata!.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'backstage-irsa',
    });
    expect(made.metadata!.annotations).toEqual({
      'eks.amazonaws.com/role-arn': roleArn,
      'irsa.backstage.io/entity-ref': entityRef,
    });

    // Replaced since the plan (deleted and made again by Helm): the apply is refused on its
    // preconditions, and the new plan adopts the new ServiceAccount.
    await createHelmServiceAccount(namespace, 'web');
    const planWeb = await irsaService.serviceAccounts.plan({
      cluster: 'sandbox',
      namespace,
      name: 'web',
      roleArn,
      entityRef,
      adoptExisting: true,
    });
    await coreV1().deleteNamespacedServiceAccount({ namespace, name: 'web' });
    await createHelmServiceAccount(namespace, 'web');
    const markWeb = await peerRequests.mark();
    await irsaService.serviceAccounts.adopt(planWeb);
    expect(
      (await writesSince(markWeb, namespace)).map(w => [w.verb, w.code]),
    ).toEqual([
      ['patch', 409],
      ['patch', 200],
    ]);
    expect((await read(namespace, 'web')).metadata!.annotations).toMatchObject({
      'irsa.backstage.io/adopted-by': entityRef,
    });
  });

  it('refuses to replace a role annotation that is not a managed role of the entity, before any write', async () => {
    const namespace = await freshNamespace('adopt-theirs');
    const entityRef = `component:default/${uniqueName('adopt-theirs')}`;
    const roleArn = await createManagedRole(
      `irsa-${uniqueName('adopt-theirs')}`,
      entityRef,
      env.clusterAccountId,
    );
    const theirs = await createManagedRole(
      `irsa-${uniqueName('theirs')}`,
      'component:default/someone-else',
      env.clusterAccountId,
    );
    await createHelmServiceAccount(namespace, 'api', {
      'eks.amazonaws.com/role-arn': theirs,
    });
    const before = await read(namespace, 'api');
    const mark = await peerRequests.mark();
    await expect(
      run({
        entityRef,
        cluster: 'sandbox',
        namespace,
        serviceAccount: 'api',
        roleArn,
        adoptExisting: true,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(`already points at role ${theirs}`),
    });
    expect(await writesSince(mark, namespace)).toEqual([]);
    expect(await read(namespace, 'api')).toEqual(before);
  });
});
