import { createServiceFactory } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { irsaServiceRef } from '@backstage-irsa/plugin-irsa-node';
import fs from 'node:fs';
import path from 'node:path';
import { scaffolderModuleIrsa } from '../module';
import {
  documentedActions,
  GENERATED_END,
  GENERATED_START,
  TEMPLATES_DOC_COMMAND,
  TEMPLATES_DOC_PATH,
  withGeneratedActions,
} from './templatesDoc';

// docs/templates.md tells platform teams every input and output of the actions; its action
// reference must be exactly what the generator makes of the actions' current schemas, so
// neither can change without the other. UPDATE_TEMPLATES_DOC=1 rewrites it from here too.
const REPO = path.resolve(__dirname, '../../../..');
const DOC = path.join(REPO, TEMPLATES_DOC_PATH);

describe('docs/templates.md', () => {
  it('holds the generated reference of the actions as they are now', () => {
    const committed = fs.readFileSync(DOC, 'utf8');
    const generated = withGeneratedActions(committed);
    if (generated !== committed && process.env.UPDATE_TEMPLATES_DOC === '1') {
      fs.writeFileSync(DOC, generated);
    } else if (generated !== committed) {
      throw new Error(
        `${TEMPLATES_DOC_PATH} is out of date with the actions' schemas or examples: run ${TEMPLATES_DOC_COMMAND} (npm run docs:templates) and commit the result.`,
      );
    }
    expect(fs.readFileSync(DOC, 'utf8')).toBe(generated);
  });

  it('documents each action the module registers, once, in its order', async () => {
    const added: Array<{ id: string }> = [];
    const backend = await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...actions: any[]) => added.push(...actions) },
        ],
      ],
      features: [
        scaffolderModuleIrsa,
        // The module only builds the actions at start; nothing here is called.
        createServiceFactory({
          service: irsaServiceRef,
          deps: {},
          factory: () => ({ registry: {} } as any),
        }),
      ],
    });
    await backend.stop();
    const registered = added.map(a => a.id);
    expect(registered.length).toBeGreaterThanOrEqual(3);
    expect(documentedActions().map(a => a.id)).toEqual(registered);

    const doc = fs.readFileSync(DOC, 'utf8');
    const block = doc.slice(
      doc.indexOf(GENERATED_START),
      doc.indexOf(GENERATED_END),
    );
    for (const id of registered) {
      expect(block.split(`### \`${id}\``)).toHaveLength(2);
    }
  });

  it('keeps the hand-written text around the block, and refuses a doc without the markers', () => {
    const doc = `# Title\n\nbefore\n\n${GENERATED_START}\nstale\n${GENERATED_END}\n\nafter\n`;
    const out = withGeneratedActions(doc, []);
    expect(out.startsWith(`# Title\n\nbefore\n\n${GENERATED_START}\n`)).toBe(
      true,
    );
    expect(out.endsWith(`${GENERATED_END}\n\nafter\n`)).toBe(true);
    expect(out).not.toContain('stale');
    expect(withGeneratedActions(out, [])).toBe(out);
    expect(() => withGeneratedActions('# no markers\n', [])).toThrow(
      /put both markers back/,
    );
  });
});
