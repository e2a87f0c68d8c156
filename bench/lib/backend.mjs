// A backend of the benchmark's own: packages/backend from source in production mode (as the
// takeover suite runs it), on a port of its own, with a dummy AWS key of its own so moto's log
// tells its calls from everyone else's. Reuses the smoke tests' process handling.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, waitForOk } from '../../scripts/smoke/backend.mjs';
import { backendNodePid } from './load.mjs';

export async function startBenchBackend({ root, port, configs, awsKey, name }) {
  const dir = await mkdtemp(join(tmpdir(), `irsa-bench-${name}-`));
  const baseUrl = `http://127.0.0.1:${port}`;
  const portConfig = join(dir, 'port.yaml');
  await writeFile(
    portConfig,
    `backend:\n  baseUrl: ${baseUrl}\n  listen:\n    port: ${port}\n`,
  );
  const logFile = join(root, 'test-results', `bench-${name}-backend.log`);
  const backend = await startBackend({
    root,
    logFile,
    extraEnv: {
      NODE_ENV: 'production',
      AWS_ENDPOINT_URL: process.env.IRSA_SANDBOX_AWS_ENDPOINT,
      IRSA_SANDBOX_AWS_ACCESS_KEY_ID: awsKey,
    },
    extraArgs: [
      ...configs.flatMap(c => ['--config', `../../${c}`]),
      '--config',
      portConfig,
    ],
  });
  let bootMs;
  let token;
  try {
    bootMs = await waitForOk(`${baseUrl}/api/irsa/health`, backend);
    token = await guestToken(baseUrl);
  } catch (e) {
    // Never leave a backend holding the port for the next run.
    await backend.stop();
    throw e;
  }
  return {
    baseUrl,
    token,
    bootMs,
    logFile,
    stop: backend.stop,
    pid: () => backendNodePid(backend.child.pid),
    child: backend.child,
  };
}

/** A guest token as the app gets one, once the catalog knows user:default/guest (team-payments). */
async function guestToken(baseUrl) {
  for (let i = 0; i < 240; i++) {
    const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (res.ok) {
      const { backstageIdentity } = await res.json();
      const ownership = backstageIdentity.identity?.ownershipEntityRefs ?? [];
      // Until the catalog has read examples/org.yaml a sign-in carries no team.
      if (ownership.includes('group:default/team-payments')) {
        return backstageIdentity.token;
      }
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${baseUrl}: the guest never signed in as team-payments`);
}

/** A JSON call as the signed-in guest; { status, body, ms }. */
export async function call(backend, method, path, body) {
  const t = process.hrtime.bigint();
  const res = await fetch(`${backend.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${backend.token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  // Server-Timing of /status: `access` (catalog and permission) and `status` (ours), ms.
  const serverTiming = Object.fromEntries(
    [
      ...(res.headers.get('server-timing') ?? '').matchAll(
        /(\w+);dur=([\d.]+)/g,
      ),
    ].map(([, name, dur]) => [name, Number(dur)]),
  );
  return {
    status: res.status,
    body: text ? JSON.parse(text) : undefined,
    ms,
    serverTiming,
  };
}
