import {
  awsWrites,
  BACKSTAGE_K8S_USER,
  describeSandbox,
  findSecrets,
  type FaultProxy,
  k8sWrites,
  peerRequests,
  sandboxEnv,
  startFaultProxy,
  uniqueName,
  writeReliabilityBlock,
} from '@backstage-irsa/sandbox-test-utils';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  expectBindingDoneOnce,
  RELIABILITY_ENTITY,
  RELIABILITY_NAMESPACE,
  REPO_ROOT,
  RESULTS,
  startGuestBackend,
} from '../__testUtils__/guestBackend';

// Two backend replicas on one PostgreSQL and one Redis-protocol cache (scripts/replica-peers,
// Debian's packages), both with every AWS call through a fault-injecting proxy in front of the
// sandbox's moto: they answer alike, share the cache and the verify rate limit, run a task
// once, and when the replica running a task is killed, the other finishes it. Runs alone
// (scripts/test, step "replicas"): it counts every write the peers log.

type Guest = Awaited<ReturnType<typeof startGuestBackend>>;

function replicaConfig(port: number): string {
  const file = join(RESULTS, `replica-${port}.yaml`);
  const env = process.env;
  writeFileSync(
    file,
    [
      'backend:',
      `  baseUrl: http://127.0.0.1:${port}`,
      `  listen: { port: ${port} }`,
      '  database:',
      '    client: pg',
      '    connection:',
      `      host: ${env.IRSA_REPLICA_PG_HOST}`,
      `      port: ${env.IRSA_REPLICA_PG_PORT}`,
      `      user: ${env.IRSA_REPLICA_PG_USER}`,
      `      password: ${env.IRSA_REPLICA_PG_PASSWORD}`,
      '  cache:',
      '    store: redis',
      `    connection: ${env.IRSA_REPLICA_REDIS_URL}`,
      'scaffolder:',
      '  taskRecovery:',
      '    enabled: true',
      '    staleTimeout: { seconds: 5 }',
      'irsa:',
      '  verify:',
      '    rateLimit:',
      '      perUser: { limit: 1, windowSeconds: 600 }',
      '',
    ].join('\n'),
  );
  return relative(REPO_ROOT, file);
}

const peersReady = Boolean(
  process.env.IRSA_REPLICA_PG_PORT && process.env.IRSA_REPLICA_REDIS_URL,
);

describeSandbox('two replicas on PostgreSQL and a shared cache', () => {
  jest.setTimeout(600_000);
  let proxy: FaultProxy;
  const replicas: Guest[] = [];
  const tally = { tasks: 0, twice: 0, killed: 0, finished: 0, leaks: 0 };

  beforeAll(async () => {
    if (!peersReady) {
      throw new Error(
        'the replicas suite needs its peers: eval "$(scripts/replica-peers up)"',
      );
    }
    // The verify limit lives in the cache: start from none left by an earlier run.
    execFileSync('redis-cli', [
      '-u',
      process.env.IRSA_REPLICA_REDIS_URL!,
      'FLUSHALL',
    ]);
    proxy = await startFaultProxy(sandboxEnv().awsEndpoint);
    for (const port of [7007, 7008]) {
      replicas.push(
        await startGuestBackend({
          awsEndpoint: proxy.url,
          logName: `replica-${port}`,
          configs: [replicaConfig(port)],
          port,
        }),
      );
    }
  });

  afterAll(async () => {
    for (const r of replicas) await r.backend.stop();
    await proxy?.close();
    await writeReliabilityBlock(
      REPO_ROOT,
      'replicas',
      `**${replicas.length} replicas** on PostgreSQL and Redis; tasks run: ${tally.tasks}, each once (writes made twice: ${tally.twice}); **${tally.killed} replica killed mid-task, ${tally.finished} task finished by the other**; leaks found: ${tally.leaks}.`,
    );
  });

  it('share the verify rate limit through the cache', async () => {
    const body = {
      entityRef: RELIABILITY_ENTITY,
      cluster: 'sandbox',
      namespace: RELIABILITY_NAMESPACE,
      serviceAccount: 'rate-limit-probe',
    };
    const first = await replicas[0].api('POST', '/api/irsa/verify', body);
    expect(first.status).not.toBe(429);
    const second = await replicas[1].api('POST', '/api/irsa/verify', body);
    expect(second.status).toBe(429);
    expect(second.body.error.message).toMatch(
      /^Too many verifies for this user/,
    );
  });

  it('run a template task once', async () => {
    const id = uniqueName('replica-once');
    const mark = await peerRequests.mark();
    const taskId = await replicas[0].requestAccess(id, id);
    expect((await replicas[1].taskState(taskId)).status).toBe('completed');
    tally.tasks += 1;
    const seen = await peerRequests.since(mark);
    expect(
      awsWrites(seen.aws)
        .filter(r => r.roleName === `irsa-${id}`)
        .map(r => r.action)
        .filter(a => a === 'CreateRole' || a === 'AttachRolePolicy'),
    ).toEqual(['CreateRole', 'AttachRolePolicy']);
    await expectBindingDoneOnce(seen.k8s, `irsa-${id}`, id);
  });

  it('both answer the status of the entity alike, with the binding one of them made', async () => {
    const [a, b] = await Promise.all(
      replicas.map(r =>
        r.api('GET', `/api/irsa/status?entityRef=${RELIABILITY_ENTITY}`),
      ),
    );
    expect(a.status).toBe(200);
    expect(a.body.bindings.length).toBeGreaterThan(0);
    // Identical but for when each report was made.
    const body = (r: typeof a) => ({ ...r.body, generatedAt: undefined });
    expect(b.status).toBe(200);
    expect(body(b)).toEqual(body(a));
  });

  it('finish a task on the other replica when the one running it is killed', async () => {
    const id = uniqueName('replica-kill');
    const roleName = `irsa-${id}`;
    await proxy.set({
      kind: 'fail',
      actions: ['AttachRolePolicy'],
      hang: true,
    });
    const mark = await peerRequests.mark();
    const taskId = await replicas[0].requestAccess(id, id);
    for (let i = 0; i < 240 && proxy.stats.failed === 0; i++) {
      await new Promise(r => setTimeout(r, 250));
    }
    expect(proxy.stats.failed).toBeGreaterThanOrEqual(1);
    // The replica whose log has this task's role step is the one running it.
    const logs = await Promise.all(replicas.map(r => r.backend.log()));
    const running = logs.findIndex(
      l => l.includes(taskId) && l.includes('scaffolder.role-ensure'),
    );
    expect(running).toBeGreaterThanOrEqual(0);
    await replicas[running].backend.kill();
    tally.killed += 1;
    const survivor = replicas[1 - running];
    await proxy.set({ kind: 'pass' });

    expect((await survivor.taskState(taskId)).status).toBe('completed');
    tally.tasks += 1;
    tally.finished += 1;
    const seen = await peerRequests.since(mark);
    const writes = awsWrites(seen.aws)
      .filter(r => r.roleName === roleName)
      .map(r => r.action);
    tally.twice += Math.max(
      0,
      writes.filter(a => a === 'CreateRole').length - 1,
    );
    expect(writes.filter(a => a === 'CreateRole')).toHaveLength(1);
    expect(writes.filter(a => a === 'AttachRolePolicy')).toHaveLength(1);
    await expectBindingDoneOnce(
      k8sWrites(seen.k8s).filter(r => r.user === BACKSTAGE_K8S_USER),
      roleName,
      id,
    );
  });

  it('leak no token, key or session token into their logs, answers, task logs or the cache', async () => {
    // And every entry of the shared cache, key and value.
    const cache = execFileSync(
      'redis-cli',
      [
        '-u',
        process.env.IRSA_REPLICA_REDIS_URL!,
        '--raw',
        'EVAL',
        "local out = {} for _, k in ipairs(redis.call('KEYS', '*')) do local v = '' if redis.call('TYPE', k).ok == 'string' then v = redis.call('GET', k) end table.insert(out, k .. '=' .. v) end return out",
        '0',
      ],
      { encoding: 'utf8' },
    );
    expect(cache).toContain('='); // the verify limit's entries at least
    const leaks = [
      ...(await Promise.all(replicas.map(r => r.leaks()))).flat(),
      ...findSecrets(cache),
    ];
    tally.leaks += leaks.length;
    expect(leaks).toEqual([]);
  });
});
