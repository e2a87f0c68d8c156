// The install suite: backstage-irsa installed into fresh create-app apps the way a platform
// team would, following docs/install.md. Packs the five packages once; then for create-app's
// default app (new frontend system) and its `--legacy` app: generates the app with the
// create-app of this repository's Backstage release, installs it with Yarn 4, applies every
// `install-step` block of docs/install.md meant for it, type-checks and builds it, boots its
// backend against the sandbox (port 7240) and looks at the card, the template's form and the
// template list in Chromium. Slow (minutes: whole Backstage apps are installed and built);
// scripts/test runs it as the suite `install`. Needs the sandbox up and its env exported
// (scripts/install-test does both).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import YAML from 'yaml';
import { launchChromium } from '../smoke/browser.mjs';
import {
  applyInstallStep,
  installStepsFor,
  parseInstallSteps,
} from './installSteps.mjs';
import { startLocalRegistry } from './localRegistry.mjs';
import {
  packPackages,
  tarballFiles,
  tarballProblems,
} from './packPackages.mjs';
import { releasePins } from './releasePins.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const results = resolve(root, 'test-results');
mkdirSync(results, { recursive: true });

// The create-app of the Backstage release this repository builds against (1.55.0: its
// templates pin @backstage/cli ^0.36.6, as our root package.json does; checked below).
const CREATE_APP_VERSION = '0.9.2';
const BACKSTAGE_RELEASE = '1.55.0';
// The suite's one port: the local registry during an install, then that app's backend.
const PORT = 7240;
const APP_URL = `http://localhost:${PORT}`;
const MINUTE = 60_000;

const env = process.env;
const commandLog = resolve(results, 'install-commands.log');
writeFileSync(commandLog, '');

const timings = {};
async function timed(name, fn) {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round((Date.now() - start) / 1000);
    console.log(`${name}: ${timings[name]} s`);
  }
}

/** npm's configured CA bundle (`npm config get cafile`), when it has one. */
function npmCafile() {
  try {
    const value = execFileSync('npm', ['config', 'get', 'cafile'], {
      encoding: 'utf8',
    }).trim();
    return value && value !== 'null' && value !== 'undefined'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

// Native modules (better-sqlite3) are compiled: no network for prebuilt binaries here, so
// node-gyp needs the running Node's own headers (as scripts/lib/toolchain.sh does for npm).
const nodePrefix = dirname(dirname(process.execPath));
// Yarn trusts only Node's bundled CAs and reads neither npm's `cafile` nor the system's
// store: where the registry is reached through a TLS proxy with its own CA, every request
// fails with "self-signed certificate in certificate chain". Give it what the machine
// trusts: the environment's bundle, npm's, else the system's (Debian's, as curl and git use).
const caFile = [
  env.YARN_HTTPS_CA_FILE_PATH,
  env.NODE_EXTRA_CA_CERTS,
  env.SSL_CERT_FILE,
  npmCafile(),
  '/etc/ssl/certs/ca-certificates.crt',
].find(f => f && existsSync(f));
const toolEnv = {
  ...env,
  ...(caFile ? { YARN_HTTPS_CA_FILE_PATH: caFile } : {}),
  ...(existsSync(join(nodePrefix, 'include/node/node.h'))
    ? { npm_config_nodedir: nodePrefix }
    : {}),
  // A user's first install is not a CI install: Yarn would refuse to write yarn.lock when it
  // sees CI set (scripts/test sets it for Jest).
  YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
  YARN_ENABLE_TELEMETRY: '0',
  YARN_ENABLE_PROGRESS_BARS: 'false',
  YARN_ENABLE_COLORS: 'false',
  BACKSTAGE_APP_NAME: 'irsa-install-test',
};

/** Runs a command, its output appended to test-results/install-commands.log. */
function exec(
  cmd,
  args,
  { cwd, timeout = 20 * MINUTE, allowFailure = false } = {},
) {
  appendFileSync(commandLog, `\n$ (cd ${cwd}) ${cmd} ${args.join(' ')}\n`);
  const fd = openSync(commandLog, 'a');
  try {
    const r = spawnSync(cmd, args, {
      cwd,
      env: toolEnv,
      stdio: ['ignore', fd, fd],
      timeout,
      killSignal: 'SIGKILL',
    });
    if (r.error) throw r.error;
    if (r.status !== 0 && !allowFailure) {
      throw new Error(
        `${cmd} ${args.join(' ')} failed (${
          r.status ?? r.signal
        }) in ${cwd}; see test-results/install-commands.log`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

const work = mkdtempSync(join(tmpdir(), 'irsa-install-'));
const tarballDir = join(work, 'tarballs');
mkdirSync(tarballDir);
let tarballs = [];
let createAppDir;
let failed = false;

/** Each step needs the ones before it: after a failure the rest fail fast, named. */
function step(name, fn, timeout) {
  it(name, { timeout }, async () => {
    if (failed) assert.fail('an earlier step failed');
    try {
      await fn();
    } catch (e) {
      failed = true;
      throw e;
    }
  });
}

describe('install into fresh create-app apps (docs/install.md)', () => {
  before(() => {
    for (const name of [
      'IRSA_SANDBOX_K8S_URL',
      'IRSA_SANDBOX_K8S_TOKEN',
      'IRSA_SANDBOX_K8S_CA_DATA',
      'IRSA_SANDBOX_AWS_ENDPOINT',
    ]) {
      assert.ok(
        env[name],
        `${name} is not set: is the sandbox up and its env exported?`,
      );
    }
  });

  after(() => {
    writeFileSync(
      resolve(results, 'install-timings.json'),
      `${JSON.stringify(timings, null, 2)}\n`,
    );
    if (env.IRSA_KEEP_INSTALL_APP === '1' || failed) {
      console.log(`the apps are kept in ${work}`);
    } else {
      rmSync(work, { recursive: true, force: true });
    }
  });

  step(
    'packs the five packages as they would be published',
    () =>
      timed('pack', () => {
        tarballs = packPackages({ root, outDir: tarballDir, exec });
        assert.equal(tarballs.length, 5);
        const problems = tarballs.flatMap(t =>
          tarballProblems(t).map(p => `${t.split('/').pop()}: ${p}`),
        );
        assert.deepEqual(problems, []);
      }),
    15 * MINUTE,
  );

  step(
    `finds @backstage/create-app@${CREATE_APP_VERSION} and its Yarn`,
    () =>
      timed('create-app-fetch', () => {
        const found = spawnSync(
          'npx',
          [
            '--yes',
            `--package=@backstage/create-app@${CREATE_APP_VERSION}`,
            '--',
            'sh',
            '-c',
            'readlink -f "$(command -v backstage-create-app)"',
          ],
          { env: toolEnv, encoding: 'utf8' },
        );
        assert.equal(found.status, 0, found.stderr);
        createAppDir = dirname(dirname(found.stdout.trim()));
        // create-app insists on a `yarn` on PATH; users have one from corepack, which needs
        // the network here. Its own template carries Yarn's release: a shim runs that.
        const releases = join(
          createAppDir,
          'templates/default-app/.yarn/releases',
        );
        const [release] = readdirSync(releases).filter(f => f.endsWith('.cjs'));
        const bin = join(work, 'bin');
        mkdirSync(bin);
        writeFileSync(
          join(bin, 'yarn'),
          `#!/bin/sh\nexec "${process.execPath}" "${join(
            releases,
            release,
          )}" "$@"\n`,
          { mode: 0o755 },
        );
        toolEnv.PATH = `${bin}:${toolEnv.PATH}`;
      }),
    5 * MINUTE,
  );

  appSteps({ variant: 'new', title: "create-app's default app" });
  appSteps({ variant: 'legacy', title: 'a create-app --legacy app' });
});

/** The steps for one app; `variant` picks docs/install.md's frontend steps. */
function appSteps({ variant, title }) {
  const app = join(work, `app-${variant}`);
  const shot = name => resolve(results, `install-${variant}-${name}.png`);
  let backend;

  describe(title, () => {
    after(async () => {
      await backend?.stop();
    });

    step(
      `generates the app with create-app ${CREATE_APP_VERSION}`,
      () =>
        timed(`${variant}: create-app`, () => {
          mkdirSync(app);
          exec(
            'npx',
            [
              '--yes',
              `@backstage/create-app@${CREATE_APP_VERSION}`,
              ...(variant === 'legacy' ? ['--legacy'] : []),
              '--skip-install',
              '--path',
              app,
            ],
            { cwd: work },
          );
          // Same release as this repository: create-app's version table and our root pins.
          const backstageJson = JSON.parse(
            readFileSync(join(app, 'backstage.json'), 'utf8'),
          );
          assert.equal(backstageJson.version, BACKSTAGE_RELEASE);
          const ours = JSON.parse(
            readFileSync(join(root, 'package.json'), 'utf8'),
          );
          const theirs = JSON.parse(
            readFileSync(join(app, 'package.json'), 'utf8'),
          );
          assert.equal(
            theirs.devDependencies['@backstage/cli'],
            ours.devDependencies['@backstage/cli'],
            'the generated app pins another @backstage/cli than this repository',
          );
        }),
      5 * MINUTE,
    );

    step(
      'installs it with Yarn 4',
      () =>
        timed(`${variant}: yarn-install`, () => {
          // The release's versions, as the app's yarn.lock would hold them had it been made
          // when this release was current (releasePins.mjs says why).
          const pkgPath = join(app, 'package.json');
          const rootPkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
          rootPkg.resolutions = {
            ...rootPkg.resolutions,
            ...releasePins({ createAppDir, root }),
          };
          writeFileSync(pkgPath, `${JSON.stringify(rootPkg, null, 2)}\n`);
          exec('yarn', ['--version'], { cwd: app });
          exec('yarn', ['install'], { cwd: app, timeout: 30 * MINUTE });
          assert.ok(existsSync(join(app, 'node_modules/@backstage/cli')));
        }),
      35 * MINUTE,
    );

    step(
      "applies docs/install.md's steps",
      async () =>
        timed(`${variant}: install-steps`, async () => {
          // Stands in for publishing: Yarn fetches the @backstage-irsa scope, and only it,
          // from a registry serving the tarballs (how a company points a scope at its own
          // registry).
          appendFileSync(
            join(app, '.yarnrc.yml'),
            [
              '',
              '# install suite: the packed @backstage-irsa packages, from a local registry',
              'npmScopes:',
              '  backstage-irsa:',
              `    npmRegistryServer: 'http://127.0.0.1:${PORT}'`,
              'unsafeHttpWhitelist:',
              '  - 127.0.0.1',
              '',
            ].join('\n'),
          );
          const registry = await startLocalRegistry({ tarballs, port: PORT });
          try {
            const steps = installStepsFor(
              parseInstallSteps(
                readFileSync(join(root, 'docs/install.md'), 'utf8'),
              ),
              variant,
            );
            assert.ok(steps.length > 0, 'docs/install.md has no install steps');
            for (const s of steps) {
              appendFileSync(
                commandLog,
                `\n# ${variant}: install.md line ${s.line}: ${s.action} ${s.path}\n`,
              );
              const fd = openSync(commandLog, 'a');
              try {
                await applyInstallStep(s, app, { env: toolEnv, log: fd });
              } finally {
                closeSync(fd);
              }
            }
          } finally {
            await registry.close();
          }
          const backendPkg = JSON.parse(
            readFileSync(join(app, 'packages/backend/package.json'), 'utf8'),
          );
          assert.equal(
            backendPkg.dependencies['@backstage-irsa/plugin-irsa-backend'],
            '^0.1.0',
          );
          // docs/install.md step 6 wrote the manager policy with the installed package.
          const policy = JSON.parse(
            readFileSync(
              join(app, 'backstage-irsa-manager-policy.json'),
              'utf8',
            ),
          );
          assert.ok(policy.Statement.length > 0);
        }),
      20 * MINUTE,
    );

    step(
      'type-checks and builds it',
      () =>
        timed(`${variant}: build`, () => {
          exec('yarn', ['tsc'], { cwd: app });
          exec('yarn', ['build:backend'], { cwd: app });
          exec('yarn', ['workspace', 'app', 'build'], { cwd: app });
        }),
      30 * MINUTE,
    );

    step(
      'boots its backend against the sandbox',
      async () =>
        timed(`${variant}: boot`, async () => {
          writeSandboxConfig(app);
          backend = startBackend(app, variant);
          await waitForOk(`${APP_URL}/api/irsa/health`, backend, 5 * MINUTE);
          const token = await guestToken();
          const clusters = await (
            await fetch(`${APP_URL}/api/irsa/clusters`, {
              headers: { authorization: `Bearer ${token}` },
            })
          ).json();
          assert.deepEqual(
            clusters.items.map(c => [c.name, c.accountId]),
            [['production', env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID]],
          );
          // Every template the scaffolder module's package ships is in the catalog, read
          // from node_modules as docs/install.md registers them.
          const shipped = packagedTemplateNames(
            tarballs.find(t => t.includes('scaffolder-backend-module-irsa')),
          );
          assert.ok(shipped.includes('request-aws-access'), shipped.join(', '));
          let names = [];
          for (let i = 0; i < 120; i++) {
            const res = await fetch(
              `${APP_URL}/api/catalog/entities?filter=kind=template`,
              { headers: { authorization: `Bearer ${token}` } },
            );
            names = (await res.json()).map(e => e.metadata.name);
            if (shipped.every(n => names.includes(n))) break;
            await sleep(500);
          }
          assert.deepEqual(
            shipped.filter(n => !names.includes(n)),
            [],
            `templates missing from the catalog (it has ${names.join(', ')})`,
          );
        }),
      10 * MINUTE,
    );

    step(
      'shows the card, the template form and the template in Chromium',
      async () =>
        timed(`${variant}: chromium`, async () => {
          const browser = await launchChromium();
          try {
            const page = await browser.newPage({
              viewport: { width: 1400, height: 900 },
            });
            try {
              await page.goto(`${APP_URL}/`);
              // Guest sign-in: both apps show an Enter button on a first visit.
              const enter = page.getByRole('button', { name: 'Enter' });
              await enter.click({ timeout: MINUTE });
              await enter.waitFor({ state: 'detached', timeout: MINUTE });
              // create-app's example service: no AWS access yet, so the card offers it.
              await page.goto(
                `${APP_URL}/catalog/default/component/example-website`,
              );
              await page
                .getByText('AWS access (IRSA)')
                .first()
                .waitFor({ timeout: MINUTE });
              const request = page.getByRole('button', {
                name: 'Request AWS access',
              });
              await request.waitFor({ timeout: MINUTE });
              await page.screenshot({ path: shot('card'), fullPage: true });
              // The button opens the template; its fields (the field extensions of step 3)
              // ask the installed backend, which reads the cluster from step 5's config.
              await request.click();
              await page.waitForURL(
                /\/create\/templates\/default\/request-aws-access/,
              );
              await valueOf(
                page.getByTestId('irsa-cluster-picker'),
                'production',
              );
              await page.screenshot({ path: shot('form'), fullPage: true });
              await page.goto(`${APP_URL}/create`);
              await page
                .getByText('Request AWS access')
                .first()
                .waitFor({ timeout: MINUTE });
              await page.screenshot({ path: shot('create'), fullPage: true });
            } catch (e) {
              await page.screenshot({ path: shot('failure'), fullPage: true });
              throw e;
            }
          } finally {
            await browser.close();
          }
          // The port is free for the next app's registry and backend.
          await backend.stop();
        }),
      5 * MINUTE,
    );
  });
}

/**
 * Sandbox-only settings, not the user's: this port, and the sandbox's issuer on a loopback
 * address with its own CA, which the outbound guard refuses unless listed.
 */
function writeSandboxConfig(app) {
  writeFileSync(
    join(app, 'app-config.sandbox.yaml'),
    [
      'app:',
      `  baseUrl: ${APP_URL}`,
      'backend:',
      `  baseUrl: ${APP_URL}`,
      '  listen:',
      `    port: ${PORT}`,
      '    host: 127.0.0.1',
      '  cors:',
      `    origin: ${APP_URL}`,
      'irsa:',
      '  outbound:',
      '    allowedHosts: [127.0.0.1]',
      '    caData: ${IRSA_SANDBOX_K8S_CA_DATA}',
      '',
    ].join('\n'),
  );
}

/** `yarn workspace backend start`, as `yarn start` runs it, with the sandbox config. */
function startBackend(app, variant) {
  const log = openSync(resolve(results, `install-${variant}-backend.log`), 'w');
  const child = spawn(
    'yarn',
    [
      'workspace',
      'backend',
      'start',
      '--config',
      '../../app-config.yaml',
      '--config',
      '../../app-config.sandbox.yaml',
    ],
    {
      cwd: app,
      env: {
        ...toolEnv,
        // docs/install.md step 5's variables, set to the sandbox's cluster and account.
        K8S_CLUSTER_URL: env.IRSA_SANDBOX_K8S_URL,
        K8S_CLUSTER_CA_DATA: env.IRSA_SANDBOX_K8S_CA_DATA,
        K8S_BACKSTAGE_IRSA_TOKEN: env.IRSA_SANDBOX_K8S_TOKEN,
        AWS_ACCOUNT_ID: env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID,
        AWS_REGION: env.IRSA_SANDBOX_REGION,
        EKS_CLUSTER_NAME: env.IRSA_SANDBOX_EKS_CLUSTER_NAME,
        // Backstage's own identity (on EKS: the pod's role), through the SDK's default
        // chain since docs/install.md sets no aws.mainAccount; every AWS call to moto.
        AWS_ACCESS_KEY_ID: env.IRSA_SANDBOX_AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: env.IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY,
        AWS_ENDPOINT_URL: env.IRSA_SANDBOX_AWS_ENDPOINT,
      },
      detached: true, // own process group: stop() ends yarn, the CLI and the backend
      stdio: ['ignore', log, log],
    },
  );
  let exited = null;
  let closed = false;
  child.on('exit', code => {
    exited = code ?? 'signal';
  });
  return {
    exitCode: () => exited,
    async stop() {
      if (exited === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
        for (let i = 0; i < 100 && exited === null; i++) await sleep(100);
        if (exited === null) process.kill(-child.pid, 'SIGKILL');
        for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
      }
      if (!closed) {
        closed = true;
        closeSync(log);
      }
    },
  };
}

async function waitForOk(url, backend, timeoutMs) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (backend.exitCode() !== null) {
      throw new Error(
        `the backend exited (${backend.exitCode()}) before ${url} answered; see its log in test-results/`,
      );
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(500);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Waits until an input shows `value`. */
async function valueOf(locator, value, timeoutMs = MINUTE) {
  const start = Date.now();
  let seen;
  while (Date.now() - start < timeoutMs) {
    seen = await locator.inputValue().catch(() => undefined);
    if (seen === value) return;
    await sleep(200);
  }
  assert.equal(seen, value);
}

/** metadata.name of every templates/<name>/template.yaml in the tarball. */
function packagedTemplateNames(tarball) {
  return tarballFiles(tarball)
    .filter(f => /^templates\/[^/]+\/template\.yaml$/.test(f))
    .map(f => {
      const yaml = execFileSync('tar', ['-xzOf', tarball, `package/${f}`], {
        encoding: 'utf8',
      });
      return YAML.parse(yaml).metadata.name;
    })
    .sort();
}

async function guestToken() {
  const res = await fetch(`${APP_URL}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).backstageIdentity.token;
}
