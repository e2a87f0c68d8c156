// The production path of docs/deploy.md, without Docker: scripts/build-backend, then in a
// fresh folder outside the repository the skeleton, `npm ci --omit=dev` from the narrowed
// lockfile, the bundle and the config files, and `node packages/backend` with
// app-config.production.yaml on PostgreSQL (scripts/replica-peers) and the sandbox. Also
// checks that packages/backend/Dockerfile copies only what the build produces and runs the
// same install and start commands as this test.
//
// Needs: the sandbox env (scripts/sandbox env) and the replica peers' env
// (scripts/replica-peers up); scripts/test provides both (suite backend-bundle).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, matchesGlob, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import yaml from 'yaml';
import { Lockfile } from '@backstage/cli-node';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const results = resolve(root, 'test-results');
const dist = resolve(root, 'packages/backend/dist');
const env = process.env;

// The port this suite may bind (docs/deploy.md; 7007 belongs to the other smoke tests).
const PORT = 7230;
const BASE_URL = `http://127.0.0.1:${PORT}`;
// Its own role and databases in the shared PostgreSQL: Backstage names each plugin's
// database <prefix><pluginId>.
const PG_ROLE = 'irsa_bundle';
const DB_PREFIX = 'irsa_bundle_';

// The commands of docs/deploy.md and packages/backend/Dockerfile.
const INSTALL = [
  'npm',
  'ci',
  '--omit=dev',
  '--legacy-peer-deps',
  '--no-audit',
  '--no-fund',
];
const START = [
  'node',
  'packages/backend',
  '--config',
  'app-config.yaml',
  '--config',
  'app-config.production.yaml',
];

function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  }).toString();
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerfileInstructions() {
  const text = readFileSync(
    resolve(root, 'packages/backend/Dockerfile'),
    'utf8',
  );
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'))
    .map(l => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest };
    });
}

/** A superuser client of the replica peers' PostgreSQL. */
async function pgAdmin(database = 'postgres') {
  const client = new pg.Client({
    host: env.IRSA_REPLICA_PG_HOST,
    port: Number(env.IRSA_REPLICA_PG_PORT),
    user: env.IRSA_REPLICA_PG_USER,
    password: env.IRSA_REPLICA_PG_PASSWORD,
    database,
  });
  await client.connect();
  return client;
}

async function dropOwnDatabases(admin) {
  const { rows } = await admin.query(
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
    [DB_PREFIX],
  );
  for (const { datname } of rows) {
    await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.query(`DROP ROLE IF EXISTS ${PG_ROLE}`);
}

describe('the production backend bundle', () => {
  const pgPassword = randomBytes(18).toString('hex');
  const serviceToken = randomBytes(24).toString('hex');
  const logFile = resolve(results, 'backend-bundle-backend.log');
  let deployDir;
  let backend;
  let exited = null;

  before(async () => {
    for (const name of ['IRSA_REPLICA_PG_HOST', 'IRSA_SANDBOX_AWS_ENDPOINT']) {
      assert.ok(
        env[name],
        `${name} is not set: run with the sandbox env and eval "$(scripts/replica-peers up)"`,
      );
    }
    // 1. The host build.
    let t = Date.now();
    run('scripts/build-backend', []);
    console.log(`scripts/build-backend: ${Date.now() - t} ms`);

    // 2. A fresh folder outside the repository: skeleton, root package.json, narrowed lock.
    deployDir = mkdtempSync(join(tmpdir(), 'irsa-backend-bundle-'));
    run('tar', ['xzf', join(dist, 'skeleton.tar.gz'), '-C', deployDir]);
    cpSync(resolve(root, 'package.json'), join(deployDir, 'package.json'));
    cpSync(
      join(dist, 'package-lock.json'),
      join(deployDir, 'package-lock.json'),
    );
    // 3. Production dependencies only.
    t = Date.now();
    run(INSTALL[0], INSTALL.slice(1), {
      cwd: deployDir,
      env: { ...env, NODE_ENV: 'production' },
    });
    console.log(`${INSTALL.join(' ')}: ${Date.now() - t} ms`);
    // 4. The examples, the bundle, the config files.
    cpSync(resolve(root, 'examples'), join(deployDir, 'examples'), {
      recursive: true,
    });
    run('tar', ['xzf', join(dist, 'bundle.tar.gz'), '-C', deployDir]);
    for (const file of ['app-config.yaml', 'app-config.production.yaml']) {
      cpSync(resolve(root, file), join(deployDir, file));
    }

    // 5. Its own PostgreSQL role (may create its databases) and nothing left from a last run.
    const admin = await pgAdmin();
    try {
      await dropOwnDatabases(admin);
      await admin.query(
        `CREATE ROLE ${PG_ROLE} LOGIN CREATEDB PASSWORD '${pgPassword}'`,
      );
    } finally {
      await admin.end();
    }

    // 6. Start it as the image does, on this suite's port, the sandbox as its cloud.
    const log = createWriteStream(logFile);
    backend = spawn(process.execPath, START.slice(1), {
      cwd: deployDir,
      env: {
        ...env,
        NODE_ENV: 'production',
        AWS_ENDPOINT_URL: env.IRSA_SANDBOX_AWS_ENDPOINT,
        POSTGRES_HOST: env.IRSA_REPLICA_PG_HOST,
        POSTGRES_PORT: env.IRSA_REPLICA_PG_PORT,
        POSTGRES_USER: PG_ROLE,
        POSTGRES_PASSWORD: pgPassword,
        APP_CONFIG_app_baseUrl: BASE_URL,
        APP_CONFIG_backend_baseUrl: BASE_URL,
        APP_CONFIG_backend_listen_port: String(PORT),
        APP_CONFIG_backend_listen_host: '127.0.0.1',
        APP_CONFIG_backend_database_prefix: DB_PREFIX,
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          {
            type: 'static',
            options: { token: serviceToken, subject: 'bundle-test' },
          },
        ]),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    backend.stdout.pipe(log);
    backend.stderr.pipe(log);
    backend.on('exit', code => {
      exited = code ?? 'signal';
    });
    const start = Date.now();
    for (;;) {
      if (exited !== null) {
        throw new Error(
          `the bundled backend exited (${exited}); see ${logFile}`,
        );
      }
      if (Date.now() - start > 180_000) {
        throw new Error(
          `/api/irsa/health did not answer in 180 s; see ${logFile}`,
        );
      }
      const ok = await fetch(`${BASE_URL}/api/irsa/health`)
        .then(r => r.ok)
        .catch(() => false);
      if (ok) break;
      await sleep(500);
    }
    console.log(`bundled backend answered after ${Date.now() - start} ms`);
  });

  after(async () => {
    if (backend && exited === null) {
      backend.kill('SIGTERM');
      for (let i = 0; i < 100 && exited === null; i++) await sleep(100);
      if (exited === null) backend.kill('SIGKILL');
    }
    if (env.IRSA_REPLICA_PG_HOST) {
      const admin = await pgAdmin();
      try {
        await dropOwnDatabases(admin);
      } finally {
        await admin.end();
      }
    }
    if (deployDir) rmSync(deployDir, { recursive: true, force: true });
  });

  it('answers /api/irsa/health from the clean folder', async () => {
    const res = await fetch(`${BASE_URL}/api/irsa/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('refuses /api/irsa/clusters without credentials and answers a service token', async () => {
    const anonymous = await fetch(`${BASE_URL}/api/irsa/clusters`);
    assert.equal(anonymous.status, 401);
    const res = await fetch(`${BASE_URL}/api/irsa/clusters`, {
      headers: { authorization: `Bearer ${serviceToken}` },
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(
      body.items.map(c => c.name),
      ['sandbox'],
    );
  });

  it('serves the app bundled with it', async () => {
    const res = await fetch(`${BASE_URL}/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<div id="root">/);
  });

  it("keeps its state in PostgreSQL: the catalog writes the production locations' entities there", async () => {
    const { rows } = await (async () => {
      const admin = await pgAdmin();
      try {
        return await admin.query(
          'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1',
          [DB_PREFIX],
        );
      } finally {
        await admin.end();
      }
    })();
    const databases = rows.map(r => r.datname);
    for (const plugin of ['auth', 'catalog', 'scaffolder', 'irsa']) {
      assert.ok(
        databases.includes(`${DB_PREFIX}${plugin}`),
        `no database ${DB_PREFIX}${plugin} in ${databases.join(', ')}`,
      );
    }
    // The catalog ingests the example locations in the background: its table fills up.
    const catalog = await pgAdmin(`${DB_PREFIX}catalog`);
    try {
      // Every kind the production locations hold: components, the org, the templates.
      const wanted = ['Component', 'Group', 'User', 'Template'];
      let kinds = [];
      for (let i = 0; i < 120; i++) {
        const res = await catalog.query(
          "SELECT DISTINCT final_entity::json->>'kind' AS kind FROM final_entities WHERE final_entity IS NOT NULL",
        );
        kinds = res.rows.map(r => r.kind);
        if (wanted.every(k => kinds.includes(k))) break;
        await sleep(500);
      }
      for (const kind of wanted) {
        assert.ok(
          kinds.includes(kind),
          `no ${kind} in the catalog database: ${kinds}`,
        );
      }
    } finally {
      await catalog.end();
    }
  });

  it('installed production dependencies only, with no native module to build', () => {
    const modules = join(deployDir, 'node_modules');
    assert.ok(existsSync(join(modules, 'pg/package.json')), 'pg is missing');
    for (const devOnly of [
      'better-sqlite3',
      '@backstage/cli',
      'jest',
      'typescript',
    ]) {
      assert.ok(
        !existsSync(join(modules, devOnly)),
        `${devOnly} was installed`,
      );
    }
    // Nothing was compiled, and nothing needs a compiler: the image has none
    // (packages/backend/Dockerfile). A native package may only be an optional one whose
    // install script the root package.json denies (keytar, for the CLI's credential store).
    const built = run('find', [
      modules,
      '-path',
      '*/build/Release/*.node',
    ]).trim();
    assert.equal(built, '', `native modules were built:\n${built}`);
    const { allowScripts } = JSON.parse(
      readFileSync(resolve(root, 'package.json'), 'utf8'),
    );
    const lock = JSON.parse(
      readFileSync(join(deployDir, 'package-lock.json'), 'utf8'),
    ).packages;
    const gyp = run('find', [modules, '-name', 'binding.gyp'])
      .split('\n')
      .filter(Boolean)
      .map(f => dirname(f).slice(deployDir.length + 1));
    for (const dir of gyp) {
      const name = dir.slice(dir.lastIndexOf('node_modules/') + 13);
      assert.ok(
        lock[dir]?.optional && allowScripts[name] === false,
        `${dir} needs a compiler: not optional, or its install script is allowed`,
      );
    }
  });

  it('writes neither the service token nor the database password to its log', () => {
    const log = readFileSync(logFile, 'utf8');
    assert.ok(!log.includes(serviceToken), 'the service token is in the log');
    assert.ok(!log.includes(pgPassword), 'the database password is in the log');
  });

  it('production catalog locations are the development ones, relative to the bundle root', () => {
    const targets = file =>
      yaml
        .parse(readFileSync(resolve(root, file), 'utf8'))
        .catalog.locations.map(l => l.target);
    assert.deepEqual(
      targets('app-config.production.yaml'),
      targets('app-config.yaml').map(t => t.replace(/^\.\.\/\.\.\//, './')),
    );
    for (const target of targets('app-config.production.yaml')) {
      assert.ok(
        existsSync(join(deployDir, target)),
        `${target} is not in the bundle folder`,
      );
    }
  });

  it('Dockerfile: copies only what the build produced, runs the same install and start', () => {
    const instructions = dockerfileInstructions();
    const ignored = readFileSync(resolve(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map(l => l.trim())
      .filter(l => l && !l.startsWith('#'));
    const copies = instructions.filter(i => i.op === 'COPY');
    assert.ok(copies.length > 0);
    for (const { args } of copies) {
      assert.ok(
        !args.some(a => a.startsWith('--from')),
        'host build: no --from',
      );
      const sources = args.filter(a => !a.startsWith('--')).slice(0, -1);
      for (const source of sources) {
        assert.ok(
          existsSync(resolve(root, source)),
          `COPY ${source}: not produced`,
        );
        for (const pattern of ignored) {
          assert.ok(
            !matchesGlob(source, pattern) && !source.startsWith(`${pattern}/`),
            `COPY ${source} is excluded by .dockerignore (${pattern})`,
          );
        }
      }
    }
    const runs = instructions
      .filter(i => i.op === 'RUN')
      .map(i => i.args.join(' '));
    assert.ok(
      runs.some(r => r.endsWith(INSTALL.join(' '))),
      `no RUN ${INSTALL.join(' ')} in ${runs.join(' | ')}`,
    );
    const cmd = instructions.find(i => i.op === 'CMD');
    assert.deepEqual(JSON.parse(cmd.args.join(' ')), START);
    assert.ok(
      instructions.some(
        i => i.op === 'FROM' && i.args[0] === 'node:22-bookworm-slim',
      ),
    );
  });

  it("bundle's yarn.lock (which the CLI insists on) pins exactly package-lock.json's versions", async () => {
    const bundleFiles = run('tar', ['tzf', join(dist, 'bundle.tar.gz')]).split(
      '\n',
    );
    assert.ok(bundleFiles.includes('yarn.lock'));
    assert.ok(
      !existsSync(resolve(root, 'yarn.lock')),
      'yarn.lock left at the root',
    );
    const lockfile = Lockfile.parse(
      readFileSync(join(deployDir, 'yarn.lock'), 'utf8'),
    );
    const installed = new Map();
    const packages = JSON.parse(
      readFileSync(resolve(root, 'package-lock.json'), 'utf8'),
    ).packages;
    for (const [path, entry] of Object.entries(packages)) {
      if (!path.includes('node_modules/') || entry.link) continue;
      const name = path.slice(
        path.lastIndexOf('node_modules/') + 'node_modules/'.length,
      );
      const versions = installed.get(name) ?? new Set();
      versions.add(`${entry.version} ${entry.integrity}`);
      installed.set(name, versions);
    }
    let entries = 0;
    for (const [key, value] of Object.entries(lockfile.data)) {
      const name = key.slice(0, key.indexOf('@', 1));
      assert.ok(
        installed.get(name)?.has(`${value.version} ${value.integrity}`),
        `${key} → ${value.version} is not what package-lock.json installs`,
      );
      entries++;
    }
    assert.ok(entries > 1000, `only ${entries} entries`);
    // The production lockfile is package-lock.json narrowed: same place, version, integrity.
    const narrowed = JSON.parse(
      readFileSync(join(dist, 'package-lock.json'), 'utf8'),
    ).packages;
    for (const [path, entry] of Object.entries(narrowed)) {
      assert.equal(entry.version, packages[path]?.version, path);
      assert.equal(entry.integrity, packages[path]?.integrity, path);
    }
    assert.ok(readdirSync(dist).includes('skeleton.tar.gz'));
  });
});
