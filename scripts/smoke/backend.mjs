// Starts the real backend (packages/backend) with the repository's app-config.yaml and
// gives smoke tests its base URL and a guest token. Used by smoke.test.mjs.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const BACKEND_URL = 'http://127.0.0.1:7007';

export async function startBackend({
  root,
  logFile,
  extraEnv = {},
  extraArgs = [],
}) {
  const log = createWriteStream(logFile);
  const child = spawn(
    'npx',
    [
      'backstage-cli',
      'package',
      'start',
      '--config',
      '../../app-config.yaml',
      ...extraArgs,
    ],
    {
      cwd: `${root}/packages/backend`,
      env: { ...process.env, ...extraEnv },
      detached: true, // own process group, so stop() ends the CLI and its node child
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', code => {
    exited = code ?? 'signal';
  });
  const stop = async () => {
    if (exited !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
    if (exited === null) process.kill(-child.pid, 'SIGKILL');
  };
  return { child, stop, exitCode: () => exited };
}

/** Polls until `url` answers 200 or the process exits; returns ms waited. */
export async function waitForOk(url, backend, timeoutMs = 180_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (backend.exitCode() !== null) {
      throw new Error(
        `backend exited (${backend.exitCode()}) before ${url} answered`,
      );
    }
    try {
      const res = await fetch(url);
      if (res.ok) return Date.now() - start;
    } catch {
      /* not listening yet */
    }
    await sleep(500);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function signInAsGuest(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  const body = await res.json();
  return body.backstageIdentity.token;
}

/**
 * Signs in as the guest user the way the app does, returning a Backstage token. The guest
 * is the catalog user `guest` (member of team-payments); until the catalog has read
 * examples/org.yaml a sign-in carries no team, so wait for the user entity first.
 * `baseUrl`: a backend started on another port (`extraEnv` of startBackend).
 */
export async function guestToken(baseUrl = BACKEND_URL) {
  for (let i = 0; i < 120; i++) {
    const token = await signInAsGuest(baseUrl);
    const user = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/user/default/guest`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (user.ok) return signInAsGuest(baseUrl);
    await sleep(500);
  }
  throw new Error('the catalog never listed user:default/guest');
}
