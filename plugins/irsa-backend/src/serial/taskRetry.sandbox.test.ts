import {
  awsWrites,
  describeSandbox,
  type FaultProxy,
  peerRequests,
  sandboxEnv,
  startFaultProxy,
  uniqueName,
  writeReliabilityBlock,
} from '@backstage-irsa/sandbox-test-utils';
import {
  expectBindingDoneOnce,
  REPO_ROOT,
  startGuestBackend,
} from '../__testUtils__/guestBackend';

// A template run that AWS fails half-way, retried once AWS is back: the real backend
// (production mode, the real scaffolder) with every AWS call through a fault-injecting proxy
// that refuses AttachRolePolicy with AWS's 503 after the role is created. The task fails
// saying so; POST /v2/tasks/:id/retry then completes it, and the peers' logs show no write
// made twice and nothing left half-done. Serial: it counts every write the peers log.

describeSandbox('a template run AWS fails half-way, then retried', () => {
  jest.setTimeout(600_000);
  let proxy: FaultProxy;
  let guest: Awaited<ReturnType<typeof startGuestBackend>>;
  const tally = { failed: 0, completed: 0, twice: 0 };

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEnv().awsEndpoint);
    guest = await startGuestBackend({
      awsEndpoint: proxy.url,
      logName: 'task-retry-backend',
    });
  });

  afterAll(async () => {
    await guest?.backend.stop();
    await proxy?.close();
    await writeReliabilityBlock(
      REPO_ROOT,
      'task-retry',
      `**${tally.failed} tasks failed by AWS (stopped before the run, or failing half-way), ${tally.completed} completed on retry**; writes made twice: ${tally.twice}.`,
    );
  });

  it('fails with what AWS said, then completes on retry without writing anything twice', async () => {
    const id = uniqueName('retry');
    const roleName = `irsa-${id}`;
    const serviceAccount = id;
    await proxy.set({ kind: 'fail', actions: ['AttachRolePolicy'] });

    const first = await peerRequests.mark();
    const taskId = await guest.requestAccess(serviceAccount, id);
    const failed = await guest.taskState(taskId);
    expect(failed.status).toBe('failed');
    tally.failed += 1;
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
    const retried = await guest.api(
      'POST',
      `/api/scaffolder/v2/tasks/${taskId}/retry`,
      {},
    );
    expect(retried.status).toBe(201);
    const done = await guest.taskState(taskId);
    expect(done.status).toBe('completed');
    tally.completed += 1;

    const after = await peerRequests.since(second);
    tally.twice += ours('CreateRole', after.aws).length;
    expect(ours('CreateRole', after.aws)).toEqual([]); // not made twice
    expect(ours('AttachRolePolicy', after.aws)).toHaveLength(1);
    await expectBindingDoneOnce(after.k8s, roleName, serviceAccount);
  });

  it('AWS stopped before the run: the first step fails saying so, nothing is written, and a retry completes', async () => {
    const id = uniqueName('retry-down');
    const roleName = `irsa-${id}`;
    await proxy.set({ kind: 'down' });
    const first = await peerRequests.mark();
    const taskId = await guest.requestAccess(id, id);
    const failed = await guest.taskState(taskId);
    expect(failed.status).toBe('failed');
    tally.failed += 1;
    expect(failed.log).toMatch(
      /Beginning step Check the request[\s\S]*ServiceUnavailableError: Could not .*AWS did not answer \(ECONNREFUSED\) after every retry/,
    );
    expect(
      awsWrites((await peerRequests.since(first)).aws).filter(
        r => r.roleName === roleName,
      ),
    ).toEqual([]);

    await proxy.set({ kind: 'pass' });
    const second = await peerRequests.mark();
    expect(
      (await guest.api('POST', `/api/scaffolder/v2/tasks/${taskId}/retry`, {}))
        .status,
    ).toBe(201);
    expect((await guest.taskState(taskId)).status).toBe('completed');
    tally.completed += 1;
    const after = await peerRequests.since(second);
    const creates = awsWrites(after.aws).filter(
      r => r.roleName === roleName && r.action === 'CreateRole',
    );
    expect(creates).toHaveLength(1);
    await expectBindingDoneOnce(after.k8s, roleName, id);
  });

  it('leaks no token, key or session token into its log, answers or task logs', async () => {
    expect(await guest.leaks()).toEqual([]);
  });
});
