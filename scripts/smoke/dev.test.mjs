// `scripts/dev`, the README's "run the product" command, really serves the product: the
// frontend dev server on :3000 talking to the backend on :7007, against the sandbox. It
// runs with IRSA_KEEP_SANDBOX=1 so the sandbox scripts/test started stays up.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchChromium } from './browser.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const results = resolve(root, 'test-results');

async function waitFor(url, dev, timeoutMs) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (dev.exitCode !== null)
      throw new Error(`scripts/dev exited (${dev.exitCode})`);
    try {
      if ((await fetch(url)).ok) return Date.now() - start;
    } catch {
      /* not up yet */
    }
    await sleep(1000);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

it('scripts/dev serves the app on :3000 and the backend on :7007', async () => {
  const log = createWriteStream(resolve(results, 'smoke-dev.log'));
  const dev = spawn('./scripts/dev', [], {
    cwd: root,
    env: { ...process.env, IRSA_KEEP_SANDBOX: '1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout.pipe(log);
  dev.stderr.pipe(log);
  const browser = await launchChromium();
  try {
    const backendMs = await waitFor(
      'http://127.0.0.1:7007/api/irsa/health',
      dev,
      240_000,
    );
    const appMs = await waitFor('http://localhost:3000/', dev, 240_000);
    console.log(
      `scripts/dev: backend after ${backendMs} ms, app after ${appMs} ms`,
    );
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
    });
    await page.goto('http://localhost:3000/');
    await page.getByRole('button', { name: 'Enter' }).click();
    // All services, whatever the guest's sign-in found of its team.
    await page
      .getByRole('button', { name: 'Enter' })
      .waitFor({ state: 'detached', timeout: 120_000 });
    await page.goto('http://localhost:3000/?filters%5Buser%5D=all');
    await page
      .getByRole('link', { name: 'payments-api', exact: true })
      .waitFor({ timeout: 120_000 });
    await page.screenshot({
      path: resolve(results, 'dev-catalog.png'),
      fullPage: true,
    });
    // The frontend really is the dev server's, not the backend's static copy.
    assert.equal(new URL(page.url()).port, '3000');
  } finally {
    await browser.close();
    // Ctrl-C, as a developer stops it; then make sure nothing of it is left.
    const signalGroup = sig => {
      try {
        process.kill(-dev.pid, sig);
      } catch {
        /* the whole group is gone already */
      }
    };
    signalGroup('SIGINT');
    for (let i = 0; i < 100 && dev.exitCode === null; i++) await sleep(100);
    signalGroup('SIGKILL');
  }
});
