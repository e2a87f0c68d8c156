// Body of scripts/templates-doc (run it through that wrapper: it puts Node 22 and the
// TypeScript hook in place). Regenerates the action reference in docs/templates.md from the
// actions the scaffolder module registers, then formats the file with the repo's prettier.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const prettier = require('prettier');
const {
  TEMPLATES_DOC_PATH,
  withGeneratedActions,
} = require('../plugins/scaffolder-backend-module-irsa/src/docs/templatesDoc.ts');

async function main() {
  if (process.argv.length > 2) {
    process.stderr.write('usage: scripts/templates-doc\n');
    process.exitCode = 2;
    return;
  }
  const file = path.resolve(__dirname, '..', TEMPLATES_DOC_PATH);
  const before = fs.readFileSync(file, 'utf8');
  const generated = withGeneratedActions(before);
  const options = (await prettier.resolveConfig(file)) ?? {};
  const formatted = prettier.format(generated, { ...options, filepath: file });
  // The block sits in a prettier-ignore range; if prettier ever changed it, the test could
  // never pass, so say so here instead.
  if (withGeneratedActions(formatted) !== formatted) {
    throw new Error(
      'prettier changed the generated block; keep it inside <!-- prettier-ignore-start/end -->',
    );
  }
  if (formatted === before) {
    process.stdout.write(`${TEMPLATES_DOC_PATH} is up to date\n`);
    return;
  }
  fs.writeFileSync(file, formatted);
  process.stdout.write(`wrote ${TEMPLATES_DOC_PATH}\n`);
}

main().catch(e => {
  process.stderr.write(
    `templates-doc: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exitCode = 1;
});
