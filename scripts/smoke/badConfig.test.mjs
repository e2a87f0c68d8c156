// A wrong `irsa` section must stop the real backend at start with a message that names
// the key, not a stack trace. Starts the backend with an extra config file that breaks
// one value, and reads what the backend logged.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBackend } from './backend.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

it('names the bad irsa key in the start-up error, without a stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'irsa-bad-config-'));
  const badConfig = join(dir, 'app-config.bad.yaml');
  writeFileSync(
    badConfig,
    [
      'irsa:',
      '  clusters:',
      '    - name: sandbox',
      "      accountId: '42'",
      '      region: us-east-1',
      '      eksClusterName: sandbox',
      '      kubernetes:',
      '        clusterRef: sandbox',
      '',
    ].join('\n'),
  );
  const logFile = resolve(root, 'test-results', 'smoke-bad-config-backend.log');
  const backend = await startBackend({
    root,
    logFile,
    extraArgs: ['--config', badConfig],
  });
  try {
    let log = '';
    for (let i = 0; i < 240 && !log.includes('startup failed'); i++) {
      await sleep(500);
      log = readFileSync(logFile, 'utf8');
    }
    assert.match(log, /Plugin 'irsa' startup failed/);
    // One log record per plugin that needs the config, each naming the key. Backstage's
    // own aggregate BackendStartupError afterwards carries Backstage's stack; ours has none.
    const records = log
      .split(/\n(?=\S*\d{4}-\d\d-\d\dT)/)
      .filter(r => r.includes('threw an error during startup'));
    assert.ok(records.length > 0, 'no start-up error was logged');
    for (const record of records) {
      assert.match(
        record,
        /irsa\.clusters\[0\]\.accountId: "42" must be a 12-digit AWS account id/,
      );
      assert.match(record, /IrsaConfigError/);
      assert.doesNotMatch(
        record,
        /(\\n|\n)\s+at /,
        'config errors carry no stack trace',
      );
    }
  } finally {
    await backend.stop();
  }
});
