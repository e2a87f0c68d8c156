// Unit tests of the install-step reader and its edits (the install suite applies
// docs/install.md with them), and of docs/install.md's steps themselves: each is well formed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applyPatch,
  diffSides,
  installStepsFor,
  mergeYaml,
  parseInstallSteps,
} from './installSteps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('install steps', () => {
  it('reads marked blocks only, in order, with their file', () => {
    const md = [
      'text',
      '<!-- install-step: run -->',
      '',
      '```bash',
      'yarn add x',
      '```',
      '```ts',
      'not a step',
      '```',
      '<!-- install-step: patch src/a.ts -->',
      '```diff',
      ' a',
      '+b',
      '```',
    ].join('\n');
    assert.deepEqual(parseInstallSteps(md), [
      {
        variant: 'all',
        line: 2,
        action: 'run',
        path: '',
        lang: 'bash',
        body: 'yarn add x',
      },
      {
        variant: 'all',
        line: 10,
        action: 'patch',
        path: 'src/a.ts',
        lang: 'diff',
        body: ' a\n+b',
      },
    ]);
  });

  it('keeps steps for one kind of app to that kind', () => {
    const md = [
      '<!-- install-step: run -->',
      '```bash',
      'both',
      '```',
      '<!-- install-step new: run -->',
      '```bash',
      'new only',
      '```',
      '<!-- install-step legacy: patch src/App.tsx -->',
      '```diff',
      '+legacy only',
      '```',
    ].join('\n');
    const steps = parseInstallSteps(md);
    assert.deepEqual(
      installStepsFor(steps, 'new').map(s => s.body),
      ['both', 'new only'],
    );
    assert.deepEqual(
      installStepsFor(steps, 'legacy').map(s => s.body),
      ['both', '+legacy only'],
    );
  });

  it('refuses a marker without a block, or a file step without a file', () => {
    assert.throws(
      () => parseInstallSteps('<!-- install-step: run -->\ntext'),
      /line 1: "install-step: run" is not followed by a fenced block/,
    );
    assert.throws(
      () => parseInstallSteps('<!-- install-step: create -->\n```ts\nx\n```'),
      /"create" needs a file/,
    );
  });

  it('patches with context, and refuses a diff that does not apply once', () => {
    const diff = ' a\n-b\n+B\n+C\n\n c';
    assert.deepEqual(diffSides(diff), {
      before: 'a\nb\n\nc',
      after: 'a\nB\nC\n\nc',
    });
    assert.equal(
      applyPatch('x\na\nb\n\nc\ny', diff, 't'),
      'x\na\nB\nC\n\nc\ny',
    );
    assert.throws(
      () => applyPatch('a\nc', diff, 't'),
      /t: the diff's old lines are not in the file/,
    );
    assert.throws(
      () => applyPatch('a\nb\n\nc\na\nb\n\nc', diff, 't'),
      /more than once/,
    );
    assert.throws(() => diffSides('?x'), /diff line without/);
  });

  it('merges YAML: maps key by key, lists appended, empty sections filled', () => {
    const merged = mergeYaml(
      [
        '# keep me',
        'catalog:',
        '  rules: [a]',
        '  locations:',
        '    - target: one',
        'kubernetes:',
        '  # empty',
        'irsa: 1',
      ].join('\n'),
      [
        'catalog:',
        '  locations:',
        '    - target: two',
        'kubernetes:',
        '  clusters: [c]',
        'irsa:',
        '  clusters: []',
        'aws: {}',
      ].join('\n'),
    );
    assert.match(merged, /# keep me/);
    assert.match(merged, /rules: \[a\]/);
    assert.match(merged, /- target: one\n\s+- target: two/);
    assert.match(merged, /kubernetes:[^\n]*\n\s+clusters: \[c\]/);
    assert.match(merged, /irsa:\n\s+clusters: \[\]/);
    assert.match(merged, /aws: \{\}/);
  });

  it("docs/install.md's steps are well formed: diffs have changes, YAML parses", () => {
    const steps = parseInstallSteps(
      readFileSync(resolve(root, 'docs/install.md'), 'utf8'),
    );
    assert.ok(steps.length >= 8, `only ${steps.length} steps`);
    // Each kind of app gets its frontend steps, and both get the rest.
    for (const variant of ['new', 'legacy']) {
      const files = installStepsFor(steps, variant).map(s => s.path);
      assert.ok(files.includes('packages/app/src/App.tsx'), variant);
      assert.ok(files.includes('packages/backend/src/index.ts'), variant);
    }
    for (const s of steps) {
      if (s.action === 'patch') {
        const { before, after } = diffSides(s.body);
        assert.notEqual(
          before,
          after,
          `line ${s.line}: a diff without changes`,
        );
      }
      if (s.action === 'merge') mergeYaml('{}', s.body);
    }
    // Every package the document adds is one this repository publishes.
    const added = steps
      .filter(s => s.action === 'run')
      .flatMap(s => s.body.match(/@backstage-irsa\/[a-z-]+/g) ?? []);
    assert.deepEqual([...new Set(added)].sort(), [
      '@backstage-irsa/plugin-irsa',
      '@backstage-irsa/plugin-irsa-backend',
      '@backstage-irsa/plugin-irsa-common',
      '@backstage-irsa/plugin-scaffolder-backend-module-irsa',
    ]);
  });
});
