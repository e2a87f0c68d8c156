import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const BEGIN = '<!-- bad-input:begin (written by the takeover suite) -->';
const END = '<!-- bad-input:end -->';

/**
 * Rewrites the bad-input block of `<repoRoot>/docs/reliability.md` with what this run measured, so the
 * numbers there are the suite's own, dated. Leaves the file alone when the block is gone.
 */
export async function writeBadInputReport(
  repoRoot: string,
  r: {
    tried: number;
    viaTemplate: number;
    viaHttp: number;
    refused: number;
    peerRequests: number;
    longestMessage: number;
  },
): Promise<void> {
  const file = resolve(repoRoot, 'docs/reliability.md');
  const doc = await readFile(file, 'utf8');
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) return;
  const block = [
    BEGIN,
    `Last run ${new Date().toISOString().slice(0, 10)}: **${
      r.tried
    } inputs tried** (${
      r.viaTemplate
    } through the template without a form schema, ${
      r.viaHttp
    } to the HTTP API); **${r.refused} refused as required**; **${
      r.peerRequests
    } requests reached AWS or Kubernetes** while they were refused; the longest refusal message was ${
      r.longestMessage
    } characters.`,
    END,
  ].join('\n');
  await writeFile(file, doc.slice(0, a) + block + doc.slice(b + END.length));
}
