import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** A real backend process (packages/backend) and what tests need of it. @public */
export interface BackendProcess {
  baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
  /** SIGKILL, as a crash: no shutdown hooks, tasks left mid-step. */
  kill(): Promise<void>;
  /** A Backstage token of the guest user, signed in as the app does. */
  guestToken(): Promise<string>;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Starts packages/backend from source with the repository's app-config.yaml plus
 * `configs` (paths relative to the repository root), the way scripts/dev runs it, and
 * waits for `/api/irsa/health`. The sandbox env must be exported.
 *
 * @public
 */
export async function startBackendProcess(options: {
  /** The repository root (tests know where they are; a library cannot). */
  root: string;
  configs?: string[];
  env?: Record<string, string>;
  logFile: string;
  port?: number;
}): Promise<BackendProcess> {
  const { root } = options;
  const port = options.port ?? 7007;
  const baseUrl = `http://127.0.0.1:${port}`;
  const out = createWriteStream(options.logFile);
  const child = spawn(
    'npx',
    [
      'backstage-cli',
      'package',
      'start',
      '--config',
      '../../app-config.yaml',
      ...(options.configs ?? []).flatMap(c => ['--config', `../../${c}`]),
    ],
    {
      cwd: resolve(root, 'packages/backend'),
      env: { ...process.env, ...options.env },
      detached: true, // own process group, so stop() ends the CLI and its node child
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited: number | string | null = null;
  child.on('exit', code => {
    exited = code ?? 'signal';
  });
  const stop = async () => {
    if (exited === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
      if (exited === null) process.kill(-child.pid!, 'SIGKILL');
    }
    await new Promise(r => out.end(r));
  };
  const log = () => readFile(options.logFile, 'utf8');
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited !== null) {
      throw new Error(
        `backend exited (${exited}) before it answered:\n${(await log()).slice(
          -3000,
        )}`,
      );
    }
    try {
      if ((await fetch(`${baseUrl}/api/irsa/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('backend did not answer /api/irsa/health within 180 s');
    }
    await sleep(500);
  }
  const kill = async () => {
    if (exited === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
    }
    await new Promise(r => out.end(r));
  };
  return {
    baseUrl,
    log,
    stop,
    kill,
    async guestToken() {
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
      return ((await res.json()) as any).backstageIdentity.token;
    },
  };
}

/**
 * The guest's token once the catalog has read `entities` (e.g. `user:default/guest`): the
 * catalog reads its locations in the background after start-up, and a token issued before
 * the guest's user entity is there does not carry its groups (team-payments).
 *
 * @public
 */
export async function guestTokenWhenCatalogHas(
  backend: BackendProcess,
  entities: string[],
): Promise<string> {
  for (let i = 0; i < 240; i++) {
    const token = await backend.guestToken();
    const found = await Promise.all(
      entities.map(async ref => {
        const [kind, rest] = ref.split(':');
        const [namespace, name] = rest.split('/');
        const res = await fetch(
          `${backend.baseUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        return res.status === 200;
      }),
    );
    if (found.every(Boolean)) break;
    await sleep(500);
  }
  return backend.guestToken();
}
