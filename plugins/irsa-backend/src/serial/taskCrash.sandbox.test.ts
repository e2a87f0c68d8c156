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
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  expectBindingDoneOnce,
  REPO_ROOT,
  RESULTS,
  startGuestBackend,
} from '../__testUtils__/guestBackend';

// The backend killed (SIGKILL) while a template task is between creating the role and
// creating the ServiceAccount, and started again on the same database with scaffolder task
// recovery on: the task is started over (the template's EXPERIMENTAL_recovery) and completes,
// with no write made twice and nothing left half-done. The task is held mid-step by a
// fault-injecting proxy that never answers AttachRolePolicy. Serial: it counts every write.

describeSandbox('a backend crash in the middle of a template task', () => {
  jest.setTimeout(600_000);
  let proxy: FaultProxy;
  let configFile = '';
  const tally = { crashes: 0, completed: 0, twice: 0, leaks: 0 };

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEnv().awsEndpoint);
    // A database that outlives the process, and recovery of tasks left "processing".
    const dbDir = mkdtempSync(join(tmpdir(), 'irsa-crash-db-'));
    configFile = join(RESULTS, 'task-crash-app-config.yaml');
    writeFileSync(
      configFile,
      [
        'backend:',
        '  database:',
        '    client: better-sqlite3',
        '    connection:',
        `      directory: ${JSON.stringify(dbDir)}`,
        'scaffolder:',
        '  taskRecovery:',
        '    enabled: true',
        '    staleTimeout: { seconds: 5 }',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await proxy?.close();
    await writeReliabilityBlock(
      REPO_ROOT,
      'crash',
      `**${tally.crashes} backend killed mid-task, ${tally.completed} task completed after the restart**; writes made twice: ${tally.twice}; leaks found: ${tally.leaks}.`,
    );
  });

  it('is started over after a restart and completes, writing nothing twice', async () => {
    const id = uniqueName('crash');
    const roleName = `irsa-${id}`;
    const configs = [relative(REPO_ROOT, configFile)];
    // AttachRolePolicy never answers: the role step stays between CreateRole and the SA step.
    await proxy.set({
      kind: 'fail',
      actions: ['AttachRolePolicy'],
      hang: true,
    });
    const first = await startGuestBackend({
      awsEndpoint: proxy.url,
      logName: 'task-crash-backend-1',
      configs,
    });
    const mark = await peerRequests.mark();
    let taskId = '';
    try {
      taskId = await first.requestAccess(id, id);
      for (let i = 0; i < 240 && proxy.stats.failed === 0; i++) {
        await new Promise(r => setTimeout(r, 250));
      }
      expect(proxy.stats.failed).toBeGreaterThanOrEqual(1); // held in AttachRolePolicy
    } finally {
      await first.backend.kill();
      tally.crashes += 1;
    }
    const beforeRestart = await peerRequests.since(mark);
    const roleWrites = (list = beforeRestart.aws) =>
      awsWrites(list).filter(r => r.roleName === roleName);
    expect(roleWrites().map(r => r.action)).toContain('CreateRole');

    await proxy.set({ kind: 'pass' });
    const restarted = await peerRequests.mark();
    const second = await startGuestBackend({
      awsEndpoint: proxy.url,
      logName: 'task-crash-backend-2',
      configs,
    });
    try {
      const done = await second.taskState(taskId);
      expect(done.status).toBe('completed');
      tally.completed += 1;
    } finally {
      await second.backend.stop();
    }
    const leaks = [...(await first.leaks()), ...(await second.leaks())];
    tally.leaks += leaks.length;
    expect(leaks).toEqual([]);

    const after = await peerRequests.since(restarted);
    const actions = roleWrites(after.aws).map(r => r.action);
    tally.twice += actions.filter(a => a === 'CreateRole').length;
    expect(actions).not.toContain('CreateRole'); // not made twice
    expect(actions.filter(a => a === 'AttachRolePolicy')).toHaveLength(1);
    await expectBindingDoneOnce(
      [...beforeRestart.k8s, ...after.k8s],
      roleName,
      id,
    );
  });
});
