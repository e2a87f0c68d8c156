// The benchmark (issue #11, docs/benchmarks.md): the scripted manual path against the product
// and the round-trip floor, pairs interleaved; upstream calls per operation from the peers' own
// logs; the status load over 2,000 bindings; the frontend's weight. Writes
// bench/results/<date>.json and the report block of docs/benchmarks.md. Run by scripts/bench,
// which brings up the sandbox and the tools first. Timing lives here, never in tests.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kube } from '../scripts/smoke/sandboxClients.mjs';
import { call, startBenchBackend } from './lib/backend.mjs';
import { createFloor } from './lib/floor.mjs';
import { frontendWeight } from './lib/frontendWeight.mjs';
import { runLoad, waitForEntities } from './lib/load.mjs';
import {
  manualCleanup,
  manualProvision,
  manualSetup,
  manualStatus,
  manualVerify,
} from './lib/manual.mjs';
import { markPeers, peersSince } from './lib/peerCounts.mjs';
import { seedLoad } from './lib/seed.mjs';
import { renderReport } from './lib/report.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAIRS = Number(process.env.BENCH_PAIRS ?? 10);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const LOAD_CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);
const PRODUCT_KEY = 'AKIABENCHPRODUCT0001';
const LOAD_KEY = 'AKIABENCHLOADTEST001';
const BACKSTAGE_K8S_USER =
  'system:serviceaccount:backstage-irsa-system:backstage-irsa';
const NAMESPACE = 'bench-pairs';
const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const runId = Date.now().toString(36);
// Entities of this run only: a sandbox kept up from an earlier run still holds that run's
// ServiceAccounts, which must not become more bindings of these entities.
const pairEntity = i => `bench-pair-${runId}-${i}`;
const log = (...a) => console.log(`[bench ${new Date().toISOString()}]`, ...a);

const productCounts = m =>
  peersSince(m, { awsKey: PRODUCT_KEY, k8sUser: BACKSTAGE_K8S_USER });
const manualCounts = m =>
  peersSince(m, {
    awsKey: process.env.IRSA_SANDBOX_AWS_ACCESS_KEY_ID,
    // The sandbox's admin kubeconfig user (docs/sandbox.md).
    k8sUser: 'irsa-sandbox-admin',
  });

async function pairEntities() {
  const docs = Array.from({ length: PAIRS + 1 }, (_, i) =>
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: ${pairEntity(i)}`,
      '  annotations:',
      `    backstage.io/kubernetes-namespace: ${NAMESPACE}`,
      'spec:',
      '  type: service',
      '  lifecycle: experimental',
      '  owner: team-payments',
    ].join('\n'),
  );
  await mkdir(resolve(ROOT, 'bench/.generated'), { recursive: true });
  await writeFile(
    resolve(ROOT, 'bench/.generated/pairs.yaml'),
    `${docs.join('\n---\n')}\n`,
  );
  const res = await kube('POST', '/api/v1/namespaces', {
    metadata: { name: NAMESPACE },
  });
  if (![201, 409].includes(res.status)) {
    throw new Error(`namespace ${NAMESPACE}: ${res.status}`);
  }
}

/** Runs "Request AWS access" through the scaffolder API until the task ends; ms. */
async function templateRun(backend, i) {
  const t = process.hrtime.bigint();
  const created = await call(backend, 'POST', '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/request-aws-access',
    values: {
      entity: `component:default/${pairEntity(i)}`,
      cluster: 'sandbox',
      namespace: NAMESPACE,
      serviceAccount: `pair-${i}-${runId}`,
      roleName: `bench-pair-${i}-${runId}`,
      policyArns: [S3_READ],
    },
  });
  if (created.status !== 201) {
    throw new Error(
      `template: ${created.status} ${JSON.stringify(created.body)}`,
    );
  }
  for (;;) {
    const task = await call(
      backend,
      'GET',
      `/api/scaffolder/v2/tasks/${created.body.id}`,
    );
    if (task.body.status === 'completed') break;
    if (['failed', 'cancelled'].includes(task.body.status)) {
      throw new Error(`template task ${created.body.id}: ${task.body.status}`);
    }
    await new Promise(r => setTimeout(r, 25));
  }
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function productStatus(backend, i) {
  const res = await call(
    backend,
    'GET',
    `/api/irsa/status?entityRef=component:default/${pairEntity(i)}`,
  );
  if (res.status !== 200 || res.body.bindings[0]?.overall !== 'trusted') {
    throw new Error(`status: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { ms: res.ms, serverTiming: res.serverTiming };
}

async function productVerify(backend, i) {
  const res = await call(backend, 'POST', '/api/irsa/verify', {
    entityRef: `component:default/${pairEntity(i)}`,
    cluster: 'sandbox',
    namespace: NAMESPACE,
    serviceAccount: `pair-${i}-${runId}`,
  });
  if (res.status !== 200 || !res.body.ok) {
    throw new Error(`verify: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.ms;
}

/** Runs `fn`, returning its ms (its own or measured) and the peers' calls it caused. */
async function counted(counter, fn) {
  const mark = await markPeers();
  const t = process.hrtime.bigint();
  const out = await fn();
  const ms =
    typeof out === 'number'
      ? out
      : out?.ms ?? Number(process.hrtime.bigint() - t) / 1e6;
  return {
    ms,
    ...(out?.serverTiming ? { serverTiming: out.serverTiming } : {}),
    calls: await counter(mark),
  };
}

async function productVsManual() {
  await pairEntities();
  const ctx = await manualSetup();
  const backend = await startBenchBackend({
    root: ROOT,
    port: 7110,
    name: 'product',
    awsKey: PRODUCT_KEY,
    configs: [
      'packages/sandbox-test-utils/fixtures/takeover/app-config.yaml',
      'bench/app-config.product.yaml',
    ],
  });
  const pairs = [];
  try {
    await waitForEntities({
      baseUrl: backend.baseUrl,
      token: backend.token,
      entityRefs: Array.from(
        { length: PAIRS + 1 },
        (_, i) => `component:default/${pairEntity(i)}`,
      ),
    });
    const floor = await createFloor();
    // Pair 0 warms both paths (module loading, first connections) and is not reported.
    for (let i = 0; i <= PAIRS; i++) {
      const id = `${runId}-${i}`;
      const manual = {
        provision: await counted(manualCounts, () => manualProvision(ctx, id)),
        status: await counted(manualCounts, () => manualStatus(ctx, id)),
        verify: await counted(manualCounts, () => manualVerify(ctx, id)),
      };
      const product = {
        template: await counted(productCounts, () => templateRun(backend, i)),
        statusCold: await counted(productCounts, () =>
          productStatus(backend, i),
        ),
        statusWarm: await counted(productCounts, () =>
          productStatus(backend, i),
        ),
        verify: await counted(productCounts, () => productVerify(backend, i)),
      };
      const target = {
        namespace: NAMESPACE,
        serviceAccount: `pair-${i}-${runId}`,
        // The template prefixes irsa.guardrails.roleNamePrefix (`irsa-` here).
        roleName: `irsa-bench-pair-${i}-${runId}`,
      };
      const floorMs = {
        status: await floor.status(target),
        verify: await floor.verify(target),
      };
      if (i > 0) pairs.push({ manual, product, floor: floorMs });
      log(
        `pair ${i}: manual provision ${manual.provision.ms.toFixed(0)} ms, ` +
          `template ${product.template.ms.toFixed(
            0,
          )} ms, status ${product.statusCold.ms.toFixed(
            1,
          )}/${product.statusWarm.ms.toFixed(1)} ms`,
      );
    }
    // A re-run with nothing to change: counted writes must be zero.
    const rerun = await counted(productCounts, () => templateRun(backend, 1));
    return { pairs, rerun, bootMs: backend.bootMs };
  } finally {
    await backend.stop();
    await manualCleanup(ctx);
  }
}

/**
 * The status load again on a backend that keeps every report for 5 minutes, after one sweep
 * over the entities: no upstream call is left, so this is the ceiling the framework sets.
 */
async function cachedLoad(entityRefs) {
  const backend = await startBenchBackend({
    root: ROOT,
    port: 7112,
    name: 'cached',
    awsKey: LOAD_KEY,
    configs: [
      'packages/sandbox-test-utils/fixtures/takeover/app-config.yaml',
      'bench/app-config.bench.yaml',
      'bench/app-config.cached.yaml',
    ],
  });
  try {
    await waitForEntities({
      baseUrl: backend.baseUrl,
      token: backend.token,
      entityRefs,
    });
    for (const ref of entityRefs) {
      const res = await call(
        backend,
        'GET',
        `/api/irsa/status?entityRef=${ref}`,
      );
      if (res.status !== 200) throw new Error(`sweep: ${ref} ${res.status}`);
    }
    const r = await runLoad({
      baseUrl: backend.baseUrl,
      token: backend.token,
      entityRefs,
      connections: LOAD_CONNECTIONS,
      durationSeconds: LOAD_SECONDS,
      backendPid: backend.child.pid,
      awsAccessKeyId: LOAD_KEY,
    });
    return {
      throughputPerSec: r.throughputPerSec,
      latency: r.latency,
      errors: r.errors,
      non2xx: r.non2xx,
      iamCallsDuringRun: r.iamCallsDuringRun,
      backendCpuMsPerRequest: r.backendCpuMsPerRequest,
    };
  } finally {
    await backend.stop();
  }
}

async function load() {
  const seed = await seedLoad();
  const backend = await startBenchBackend({
    root: ROOT,
    port: 7111,
    name: 'load',
    awsKey: LOAD_KEY,
    configs: [
      'packages/sandbox-test-utils/fixtures/takeover/app-config.yaml',
      'bench/app-config.bench.yaml',
    ],
  });
  try {
    await waitForEntities({
      baseUrl: backend.baseUrl,
      token: backend.token,
      entityRefs: seed.entityRefs,
    });
    const options = {
      baseUrl: backend.baseUrl,
      token: backend.token,
      entityRefs: seed.entityRefs,
      connections: LOAD_CONNECTIONS,
      durationSeconds: LOAD_SECONDS,
      backendPid: backend.child.pid,
      awsAccessKeyId: LOAD_KEY,
    };
    // The platform overview over all 2,000: the first page cold (inventory and the page's
    // checks computed), then warm (reused until a write or statusTtlSeconds).
    const overviewPath = '/api/irsa/overview?page=1&pageSize=50';
    const cold = await call(backend, 'GET', overviewPath);
    // At least the seed's: other managed ServiceAccounts of the sandbox count too.
    if (cold.status !== 200 || cold.body.total < seed.bindings) {
      throw new Error(
        `overview: ${cold.status}, total ${cold.body?.total} of ${seed.bindings}`,
      );
    }
    const warm = [];
    for (let i = 0; i < 10; i++) {
      warm.push((await call(backend, 'GET', overviewPath)).ms);
    }
    const status = await runLoad(options);
    // The same load again: whether the backend's memory keeps growing (a leak) or stays
    // where the first run left it (the heap sized for the load).
    const repeat = await runLoad({
      ...options,
      durationSeconds: Math.max(10, Math.round(LOAD_SECONDS / 2)),
    });
    // The same load on the catalog's own entity lookup, one of the hops every /status makes
    // before any of ours: what the framework alone sustains on this machine.
    const catalog = await runLoad({
      ...options,
      pathFor: ref => `/api/catalog/entities/by-name/${ref.replace(':', '/')}`,
    });
    // The expensive overview: sorted by status, which checks every row (docs/configuration.md,
    // the platform overview). Cold with fresh=true (every peer read anew), then warm, then
    // the export of every row, which reuses the rows checked. After the loads: it reads every
    // role, which would leave the status load no GetRole to count.
    const statusSorted = '/api/irsa/overview?page=1&pageSize=50&sort=status';
    const sortedCold = await call(backend, 'GET', `${statusSorted}&fresh=true`);
    if (sortedCold.status !== 200) {
      throw new Error(`overview sorted by status: ${sortedCold.status}`);
    }
    const sortedWarm = [];
    for (let i = 0; i < 10; i++) {
      sortedWarm.push((await call(backend, 'GET', statusSorted)).ms);
    }
    const exported = await call(
      backend,
      'GET',
      '/api/irsa/overview/export?format=json',
    );
    if (exported.status !== 200) {
      throw new Error(`overview export: ${exported.status}`);
    }
    await backend.stop();
    const allCached = await cachedLoad(seed.entityRefs);
    return {
      allCached,
      bindings: seed.bindings,
      serviceAccounts: seed.entityRefs.length,
      clusters: seed.clusters?.length ?? 5,
      ...status,
      repeat: {
        durationSeconds: repeat.durationSeconds,
        throughputPerSec: repeat.throughputPerSec,
        latency: repeat.latency,
        errors: repeat.errors,
        rssBeforeMb: repeat.rssBeforeMb,
        rssAfterMb: repeat.rssAfterMb,
        backendCpuMsPerRequest: repeat.backendCpuMsPerRequest,
      },
      overview: {
        total: cold.body.total,
        pageSize: 50,
        coldMs: cold.ms,
        warmMs: warm,
        byStatus: {
          total: sortedCold.body.total,
          coldMs: sortedCold.ms,
          warmMs: sortedWarm,
        },
        export: { rows: exported.body.items.length, ms: exported.ms },
      },
      catalogLookup: {
        throughputPerSec: catalog.throughputPerSec,
        latency: catalog.latency,
        errors: catalog.errors,
        non2xx: catalog.non2xx,
        backendCpuMsPerRequest: catalog.backendCpuMsPerRequest,
      },
    };
  } finally {
    await backend.stop();
  }
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const started = new Date();
log(
  `pairs ${PAIRS}, load ${LOAD_CONNECTIONS} connections for ${LOAD_SECONDS} s`,
);
const tools = {
  aws: process.env.BENCH_AWSCLI_VERSION ?? 'awscli',
  k8sClient: process.env.BENCH_K8S_CLIENT ?? 'kubectl',
};
const comparison = await productVsManual();
log('product vs manual done; load next');
const loadResult = await load();
log('load done; frontend weight');
const weight = await frontendWeight(ROOT);
const result = {
  date: started.toISOString(),
  machine: machine(),
  tools,
  pairs: comparison.pairs,
  rerun: comparison.rerun,
  load: loadResult,
  frontend: weight,
};
const file = resolve(
  ROOT,
  `bench/results/${started.toISOString().slice(0, 19).replace(/:/g, '')}.json`,
);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
const docs = resolve(ROOT, 'docs/benchmarks.md');
await writeFile(
  docs,
  renderReport(
    await readFile(docs, 'utf8'),
    result,
    file.slice(ROOT.length + 1),
  ),
);
log(`wrote ${file} and docs/benchmarks.md`);
