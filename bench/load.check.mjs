#!/usr/bin/env node
// A quick check of the benchmark's load harness (issue #11), not the benchmark: seeds the load
// fixture, runs the round-trip floor 5 times on one seeded ServiceAccount, and with `--load`
// starts a backend of its own on port 7110 (the bench config layered on app-config.yaml), runs
// a short load against it and stops it. The seed stays in place for the benchmark to reuse
// (`--unseed` removes it instead). Needs the sandbox: eval "$(scripts/sandbox env)" first.
//
//   node bench/load.check.mjs [--load] [--seconds 10] [--connections 10] [--unseed]
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startBackend, waitForOk } from '../scripts/smoke/backend.mjs';
import { createFloor } from './lib/floor.mjs';
import { runLoad, waitForEntities } from './lib/load.mjs';
import { seedLoad, unseedLoad } from './lib/seed.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = 7110; // not 7007: the developer's backend may be running there
const BASE_URL = `http://127.0.0.1:${PORT}`;
// A dummy key of the backend's own, so its IAM calls can be told from everyone else's in
// moto's shared request log (moto maps unknown keys to the main account).
const BACKEND_AWS_KEY = 'AKIABENCHLOADCHECK01';

const { values: opts } = parseArgs({
  options: {
    load: { type: 'boolean', default: false },
    unseed: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});

const round = n => Math.round(n * 10) / 10;

if (opts.unseed) {
  console.log('unseed:', await unseedLoad());
  process.exit(0);
}

const seed = await seedLoad({});
console.log(
  `seed: ${seed.entityRefs.length} ServiceAccounts in ${seed.namespaces.length} namespaces, ` +
    `${seed.roleNames.length} roles, ${
      seed.bindings
    } bindings on ${seed.clusters.join(', ')}; ` +
    `${seed.ms} ms; wrote ${JSON.stringify(seed.counts)}`,
);

const floor = await createFloor();
const target = seed.targets[7];
const status = [];
const verify = [];
for (let i = 0; i < 5; i++) {
  status.push(round(await floor.status(target)));
  verify.push(round(await floor.verify(target)));
}
console.log(
  `floor on ${target.namespace}/${
    target.serviceAccount
  }: status ms ${status.join(' ')}`,
);
console.log(
  `floor on ${target.namespace}/${
    target.serviceAccount
  }: verify ms ${verify.join(' ')}`,
);

if (opts.load) {
  const dir = await mkdtemp(join(tmpdir(), 'irsa-bench-check-'));
  const portConfig = join(dir, 'port.yaml');
  await writeFile(
    portConfig,
    `backend:\n  baseUrl: ${BASE_URL}\n  listen:\n    port: ${PORT}\n`,
  );
  const logFile = join(dir, 'backend.log');
  console.log(`backend: starting on ${BASE_URL}, log ${logFile}`);
  const backend = await startBackend({
    root: ROOT,
    logFile,
    extraEnv: {
      AWS_ENDPOINT_URL: process.env.IRSA_SANDBOX_AWS_ENDPOINT,
      IRSA_SANDBOX_AWS_ACCESS_KEY_ID: BACKEND_AWS_KEY,
    },
    extraArgs: [
      '--config',
      '../../bench/app-config.bench.yaml',
      '--config',
      portConfig,
    ],
  });
  try {
    const bootMs = await waitForOk(`${BASE_URL}/api/irsa/health`, backend);
    const token = await guestToken(BASE_URL);
    const catalogMs = await waitForEntities({
      baseUrl: BASE_URL,
      token,
      entityRefs: seed.entityRefs,
    });
    console.log(
      `backend: up in ${bootMs} ms, catalog holds the fixture ${catalogMs} ms later`,
    );
    const result = await runLoad({
      baseUrl: BASE_URL,
      token,
      entityRefs: seed.entityRefs,
      connections: Number(opts.connections),
      durationSeconds: Number(opts.seconds),
      backendPid: backend.child.pid,
      awsAccessKeyId: BACKEND_AWS_KEY,
    });
    console.log('load:', JSON.stringify(result, null, 2));
  } finally {
    await backend.stop();
  }
}
console.log(
  `seed kept in place (${seed.entitiesFile}); remove with: node bench/load.check.mjs --unseed`,
);

/** A guest token as the app gets one, once the catalog knows user:default/guest (team-payments). */
async function guestToken(baseUrl) {
  for (let i = 0; i < 120; i++) {
    const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (res.ok) {
      const { backstageIdentity } = await res.json();
      const ownership = backstageIdentity.identity?.ownershipEntityRefs ?? [];
      // Until the catalog has read examples/org.yaml a sign-in carries no team.
      if (ownership.includes('group:default/team-payments'))
        return backstageIdentity.token;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `${baseUrl}: the guest never signed in as a member of team-payments`,
  );
}
