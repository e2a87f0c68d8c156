/*
 * Copyright 2026 The backstage-irsa Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// fakecloud is the one local AWS peer that enforces IAM identity policies with their
// conditions (moto does not). It is AGPL-3.0: tests run it as a separate process and nothing
// of it is linked or shipped. scripts/sandbox-lib/install-fakecloud.sh builds it into the cache.

import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sandboxRequired } from './sandboxEnv';

/**
 * Keep in step with IRSA_FAKECLOUD_VERSION in scripts/sandbox-lib/common.sh.
 *
 * @public
 */
export const FAKECLOUD_VERSION = process.env.IRSA_FAKECLOUD_VERSION || '0.51.0';

/**
 * Where install-fakecloud.sh puts the binary, or IRSA_FAKECLOUD_BIN.
 *
 * @public
 */
export function fakecloudBinary(): string {
  if (process.env.IRSA_FAKECLOUD_BIN) return process.env.IRSA_FAKECLOUD_BIN;
  const cacheHome =
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const cache =
    process.env.IRSA_CACHE_DIR || path.join(cacheHome, 'backstage-irsa');
  return path.join(cache, `fakecloud-${FAKECLOUD_VERSION}`, 'bin', 'fakecloud');
}

// Colour codes, in case its logger adds them anyway.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const HOW_TO =
  'install it with scripts/sandbox-lib/install-fakecloud.sh (or set IRSA_FAKECLOUD_BIN)';

// Jest's globals through globalThis, as in sandboxEnv.ts (keeps this a library module).
const jestGlobals = globalThis as unknown as {
  describe: jest.Describe;
  it: jest.It;
};

/**
 * `describe` for suites that need the fakecloud binary: skipped with a message when it is
 * missing, failing instead under IRSA_SANDBOX_REQUIRED=1 (so CI cannot pass by skipping).
 *
 * @public
 */
export function describeFakecloud(name: string, fn: () => void): void {
  const { describe, it } = jestGlobals;
  const bin = fakecloudBinary();
  if (fs.existsSync(bin)) {
    describe(name, fn);
    return;
  }
  const why = `fakecloud ${FAKECLOUD_VERSION} is not installed at ${bin}; ${HOW_TO}`;
  if (sandboxRequired()) {
    describe(name, () => {
      it('needs fakecloud (IRSA_SANDBOX_REQUIRED=1)', () => {
        throw new Error(why);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED "${name}": ${why}.`);
  describe.skip(`${name} [skipped: fakecloud not installed]`, fn);
}

/**
 * A running fakecloud process.
 *
 * @public
 */
export interface Fakecloud {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** What it wrote to stderr so far (its log), for assertions and failure messages. */
  log(): string;
  stop(): Promise<void>;
}

function healthy(endpoint: string): Promise<boolean> {
  return new Promise(resolve => {
    http
      .get(`${endpoint}/_fakecloud/health`, res => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  return new Promise(resolve => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts fakecloud on 127.0.0.1 with a port the kernel picks (it announces it on stdout), in
 * memory, with `--iam strict` (deny answers AccessDenied) and `--verify-sigv4` (a request is
 * its signer's, not whoever names the access key id). Resolves when /_fakecloud/health answers.
 *
 * @public
 */
export async function startFakecloud(options: {
  accountId: string;
  region: string;
}): Promise<Fakecloud> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-fakecloud-'));
  const args = [
    '--addr',
    '127.0.0.1:0',
    '--account-id',
    options.accountId,
    '--region',
    options.region,
    '--iam',
    'strict',
    '--verify-sigv4',
    '--log-level',
    'warn',
  ];
  // Only what it needs from our environment: no AWS_* or FAKECLOUD_* leaks in.
  const child = spawn(fakecloudBinary(), args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: cwd,
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', d => {
    stderr = (stderr + String(d)).slice(-200_000);
  });
  const stop = async () => {
    await stopChild(child);
    fs.rmSync(cwd, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => reject(new Error('no port announced in 30 s')),
        30_000,
      );
      child.stdout?.on('data', d => {
        stdout += String(d);
        const m = /FAKECLOUD_PORT=(\d+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', code => {
        clearTimeout(timer);
        reject(new Error(`fakecloud exited with ${code}`));
      });
      child.once('error', reject);
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (!(await healthy(endpoint))) {
      if (Date.now() > deadline)
        throw new Error('/_fakecloud/health not ready in 30 s');
      await new Promise(r => setTimeout(r, 100));
    }
    return { endpoint, log: () => stderr.replace(ANSI, ''), stop };
  } catch (e) {
    await stop();
    throw new Error(
      `could not start ${fakecloudBinary()}: ${
        (e as Error).message
      }\n${stderr.slice(-4000)}`,
    );
  }
}

/**
 * fakecloud's reserved root identity: any access key id starting with `test` bypasses SigV4
 * verification and IAM enforcement (by design). Tests use it only to set the scene — create
 * roles, policies and fixtures — never for the calls under test.
 *
 * @public
 */
export function fakecloudRootKeys() {
  // A fresh object each time: the SDK records on the credentials object where they came from.
  return { accessKeyId: 'test', secretAccessKey: 'test' };
}

/**
 * AWS SDK v3 client options for a running fakecloud: no retries, so a denial is one request.
 *
 * @public
 */
export function fakecloudClientConfig(
  fc: Fakecloud,
  credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  },
  region = 'us-east-1',
) {
  return { region, endpoint: fc.endpoint, credentials, maxAttempts: 1 };
}
