import {
  awsWrites,
  BACKSTAGE_K8S_USER,
  coreV1,
  describeSandbox,
  guestTokenWhenCatalogHas,
  type FaultProxy,
  attachedPolicyArns,
  k8sWrites,
  peerRequests,
  sandboxEnv,
  startBackendProcess,
  startFaultProxy,
  uniqueName,
  type BackendProcess,
} from '@backstage-irsa/sandbox-test-utils';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

// A template run that AWS fails half-way, retried once AWS is back: the real backend
// (production mode, the real scaffolder) with every AWS call through a fault-injecting proxy
// that refuses AttachRolePolicy with AWS's 503 after the role is created. The task fails
// saying so; POST /v2/tasks/:id/retry then completes it, and the peers' logs show no write
// made twice and nothing left half-done. Serial: it counts every write the peers log.

const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const root = resolve(__dirname, '../../../..');
const results = resolve(root, 'test-results');

describeSandbox('a template run AWS fails half-way, then retried', () => {
  jest.setTimeout(600_000);
  let proxy: FaultProxy;
  let backend: BackendProcess;
  let token = '';

  async function api(method: string, path: string, body?: unknown) {
    const res = await fetch(`${backend.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Waits for the task to end; its status and log. */
  async function settle(id: string) {
    let task: any;
    for (let i = 0; i < 600; i++) {
      task = (await api('GET', `/api/scaffolder/v2/tasks/${id}`)).body;
      if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
      await new Promise(r => setTimeout(r, 250));
    }
    const events = (await api('GET', `/api/scaffolder/v2/tasks/${id}/events`))
      .body;
    const log = events.map((e: any) => e.body?.message ?? '').join('\n');
    return { status: task.status as string, log };
  }

  beforeAll(async () => {
    mkdirSync(results, { recursive: true });
    await coreV1()
      .createNamespace({ body: { metadata: { name: 'payments' } } })
      .catch(e => {
        if (e.code !== 409) throw e;
      });
    proxy = await startFaultProxy(sandboxEnv().awsEndpoint);
    backend = await startBackendProcess({
      root,
      configs: [
        'packages/sandbox-test-utils/fixtures/takeover/app-config.yaml',
      ],
      env: { NODE_ENV: 'production', AWS_ENDPOINT_URL: proxy.url },
      logFile: resolve(results, 'task-retry-backend.log'),
    });
    token = await guestTokenWhenCatalogHas(backend, [
      'user:default/guest',
      'component:default/payments-api',
    ]);
  });

  afterAll(async () => {
    await backend?.stop();
    await proxy?.close();
  });

  it('fails with what AWS said, then completes on retry without writing anything twice', async () => {
    const id = uniqueName('retry');
    const roleName = `irsa-${id}`;
    const serviceAccount = id;
    await proxy.set({ kind: 'fail', actions: ['AttachRolePolicy'] });

    const first = await peerRequests.mark();
    const created = await api('POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/request-aws-access',
      values: {
        entity: 'component:default/payments-api',
        cluster: 'sandbox',
        namespace: 'payments',
        serviceAccount,
        roleName: id,
        policyArns: [S3_READ],
      },
    });
    expect(created.status).toBe(201);
    const taskId = created.body.id;
    const failed = await settle(taskId);
    expect(failed.status).toBe('failed');
    expect(failed.log).toMatch(
      /ServiceUnavailableError: Could not .*ServiceUnavailable.*AWS is throttling or failing after every retry; try again in a minute\./,
    );
    expect(proxy.stats.failed).toBeGreaterThanOrEqual(1);
    const during = await peerRequests.since(first);
    const ours = (action: string, list = during.aws) =>
      awsWrites(list).filter(
        r => r.action === action && r.roleName === roleName,
      );
    expect(ours('CreateRole')).toHaveLength(1);
    expect(ours('AttachRolePolicy')).toEqual([]); // refused by the proxy, never reached moto

    await proxy.set({ kind: 'pass' });
    const second = await peerRequests.mark();
    const retried = await api(
      'POST',
      `/api/scaffolder/v2/tasks/${taskId}/retry`,
      {},
    );
    expect(retried.status).toBe(201);
    const done = await settle(taskId);
    expect(done.status).toBe('completed');

    const after = await peerRequests.since(second);
    expect(ours('CreateRole', after.aws)).toEqual([]); // not made twice
    expect(ours('AttachRolePolicy', after.aws)).toHaveLength(1);
    const saWrites = k8sWrites(after.k8s).filter(
      r =>
        r.user === BACKSTAGE_K8S_USER &&
        r.resource === 'serviceaccounts' &&
        r.namespace === 'payments',
    );
    expect(saWrites.map(r => r.verb)).toEqual(['create']);

    // Nothing half-done: the role has its policy, the ServiceAccount points at the role.
    expect(
      await attachedPolicyArns(sandboxEnv().clusterAccountId, roleName),
    ).toEqual([S3_READ]);
    const sa = await coreV1().readNamespacedServiceAccount({
      name: serviceAccount,
      namespace: 'payments',
    });
    expect(sa.metadata?.annotations?.['eks.amazonaws.com/role-arn']).toMatch(
      new RegExp(`:role/irsa/${roleName}$`),
    );
  });
});
