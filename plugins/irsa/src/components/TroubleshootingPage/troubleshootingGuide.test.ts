// This test (Node, never bundled) compares the bundled copy with the repository's file.
// eslint-disable-next-line no-restricted-imports
import { readFileSync, writeFileSync } from 'fs';
// eslint-disable-next-line no-restricted-imports
import { resolve } from 'path';
import { FAILURE_CODES } from '@backstage-irsa/plugin-irsa-common';
import { troubleshootingGuide } from './troubleshootingGuide.generated';

// The in-app guide is docs/troubleshooting.md, bundled so the card's links land without any
// publishing step. This test keeps the copy in step: it fails when the doc changed and the
// copy was not regenerated, and regenerates it with UPDATE_GENERATED=1.
const DOC = resolve(__dirname, '../../../../../docs/troubleshooting.md');
const GENERATED = resolve(__dirname, 'troubleshootingGuide.generated.ts');

describe('the bundled troubleshooting guide', () => {
  it('is docs/troubleshooting.md as it is now', () => {
    const doc = readFileSync(DOC, 'utf8');
    if (process.env.UPDATE_GENERATED === '1') {
      writeFileSync(
        GENERATED,
        `// Generated from docs/troubleshooting.md by troubleshootingGuide.test.ts; do not edit.\n` +
          `// Regenerate: UPDATE_GENERATED=1 npx backstage-cli repo test ${'plugins/irsa/src/components/TroubleshootingPage'}\n` +
          `/** The troubleshooting guide, markdown. */\nexport const troubleshootingGuide =\n  ${JSON.stringify(
            doc,
          )};\n`,
      );
      return;
    }
    expect(troubleshootingGuide).toBe(doc);
  });

  it('has a section for every code the card links to', () => {
    for (const code of FAILURE_CODES) {
      expect(troubleshootingGuide).toMatch(new RegExp(`^## ${code}$`, 'm'));
    }
  });
});
