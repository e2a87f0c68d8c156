import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * Rewrites the block `name` of `<repoRoot>/docs/reliability.md` (between
 * `<!-- name:begin ... -->` and `<!-- name:end -->`) with `text`, dated today, so the numbers
 * there are the suite's own from its last run. Leaves the file alone when the block is gone.
 *
 * @public
 */
export async function writeReliabilityBlock(
  repoRoot: string,
  name: string,
  text: string,
): Promise<void> {
  const file = resolve(repoRoot, 'docs/reliability.md');
  const doc = await readFile(file, 'utf8');
  const begin = new RegExp(`<!-- ${name}:begin[^>]*-->`).exec(doc);
  const end = `<!-- ${name}:end -->`;
  const b = doc.indexOf(end);
  if (!begin || b < begin.index) return;
  const block = `${begin[0]}\nLast run ${new Date()
    .toISOString()
    .slice(0, 10)}: ${text}\n${end}`;
  await writeFile(
    file,
    doc.slice(0, begin.index) + block + doc.slice(b + end.length),
  );
}
