// Runs the manual path (bench/lib/manual.mjs) twice against the sandbox and prints each phase's
// wall-clock ms as JSON: a check that it works end to end, not the benchmark itself.
//   eval "$(scripts/sandbox env)" && node bench/manual.check.mjs
import { randomBytes } from 'node:crypto';
import {
  manualCleanup,
  manualProvision,
  manualSetup,
  manualStatus,
  manualVerify,
} from './lib/manual.mjs';

// Names unique per run, so a run that died before cleanup cannot collide with the next one.
const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const ctx = await manualSetup();
const rounds = [];
try {
  for (let i = 1; i <= 2; i++) {
    const id = `${run}-${i}`;
    const round = { id };
    for (const [name, fn] of Object.entries({
      provision: manualProvision,
      status: manualStatus,
      verify: manualVerify,
    })) {
      const { ms, calls } = await fn(ctx, id);
      round[name] = { ms, calls: calls.length };
    }
    rounds.push(round);
  }
} finally {
  await manualCleanup(ctx);
}
console.log(JSON.stringify({ k8sClient: ctx.k8sClient, rounds }, null, 2));
