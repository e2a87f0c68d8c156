import {
  awsWrites,
  describeSandbox,
  type FaultProxy,
  peerRequests,
  sandboxEnv,
  startFaultProxy,
  startTcpFaultProxy,
  type TcpFaultProxy,
  uniqueName,
  writeReliabilityBlock,
} from '@backstage-irsa/sandbox-test-utils';
import {
  expectBindingDoneOnce,
  REPO_ROOT,
  startGuestBackend,
} from '../__testUtils__/guestBackend';

// The Kubernetes API stopped in the middle of a template run: the role step is done, the
// ServiceAccount step finds the API refusing connections, and the task fails saying so; once
// the API is back, the scaffolder's retry completes it with nothing written twice. The real
// backend reaches the kube-apiserver through a TCP fault proxy and AWS through the HTTP one,
// which holds AttachRolePolicy (the role step's last write) until the API is down.

describeSandbox(
  'the Kubernetes API stopped in the middle of a template run',
  () => {
    jest.setTimeout(600_000);
    let aws: FaultProxy;
    let k8s: TcpFaultProxy;
    let guest: Awaited<ReturnType<typeof startGuestBackend>>;
    const tally = { failed: 0, completed: 0, twice: 0 };

    beforeAll(async () => {
      aws = await startFaultProxy(sandboxEnv().awsEndpoint);
      k8s = await startTcpFaultProxy(new URL(sandboxEnv().k8sUrl));
      guest = await startGuestBackend({
        awsEndpoint: aws.url,
        k8sUrl: `https://127.0.0.1:${k8s.port}`,
        logName: 'k8s-task-fault-backend',
      });
    });

    afterAll(async () => {
      await guest?.backend.stop();
      await aws?.close();
      await k8s?.close();
      await writeReliabilityBlock(
        REPO_ROOT,
        'k8s-task-fault',
        `**${tally.failed} task failed by the Kubernetes API stopping mid-run, ${tally.completed} completed on retry**; writes made twice: ${tally.twice}.`,
      );
    });

    it('fails at the ServiceAccount step saying the API did not answer, then completes on retry', async () => {
      const id = uniqueName('k8s-mid');
      const roleName = `irsa-${id}`;
      // Hold the role step's last write, stop the Kubernetes API, then let AWS answer again:
      // the held attempt times out (irsa.aws), the SDK retries it, and the role step ends.
      await aws.set({
        kind: 'fail',
        actions: ['AttachRolePolicy'],
        hang: true,
      });
      const mark = await peerRequests.mark();
      const taskId = await guest.requestAccess(id, id);
      for (let i = 0; i < 240 && aws.stats.failed === 0; i++) {
        await new Promise(r => setTimeout(r, 250));
      }
      expect(aws.stats.failed).toBeGreaterThanOrEqual(1);
      await k8s.set('down');
      await aws.set({ kind: 'pass' });

      const failed = await guest.taskState(taskId);
      expect(failed.status).toBe('failed');
      tally.failed += 1;
      expect(failed.log).toMatch(
        /Beginning step Create the ServiceAccount[\s\S]*ServiceUnavailableError: .*the Kubernetes API did not answer \(ECONNREFUSED\)\. .*try again \(or retry the task\) once it answers\./,
      );
      const during = await peerRequests.since(mark);
      const ours = (list = during.aws) =>
        awsWrites(list)
          .filter(r => r.roleName === roleName)
          .map(r => r.action);
      expect(ours().filter(a => a === 'CreateRole')).toHaveLength(1);
      expect(ours().filter(a => a === 'AttachRolePolicy')).toHaveLength(1);

      await k8s.set('pass');
      const again = await peerRequests.mark();
      expect(
        (
          await guest.api(
            'POST',
            `/api/scaffolder/v2/tasks/${taskId}/retry`,
            {},
          )
        ).status,
      ).toBe(201);
      const done = await guest.taskState(taskId);
      expect(done.status).toBe('completed');
      tally.completed += 1;
      const after = await peerRequests.since(again);
      tally.twice += ours(after.aws).length;
      expect(ours(after.aws)).toEqual([]); // the role was done: nothing sent to IAM again
      await expectBindingDoneOnce(after.k8s, roleName, id);
      expect(await guest.leaks()).toEqual([]);
    });
  },
);
