// The yarn.lock scripts/build-backend hands the CLI: what npm installs, keyed as Yarn keys it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Lockfile } from '@backstage/cli-node';

const require = createRequire(import.meta.url);
const {
  yarnLockFromPackageLock,
} = require('./yarn-lock-from-package-lock.cjs');

const lock = {
  lockfileVersion: 3,
  packages: {
    '': { workspaces: ['packages/*'], devDependencies: { tool: '^1.0.0' } },
    'packages/a': {
      name: 'a',
      dependencies: {
        left: '^2.0.0',
        b: '^0.1.0',
        'wrap-cjs': 'npm:wrap@^7.0.0',
      },
      devDependencies: { tool: '^1.1.0' },
    },
    'packages/b': {
      name: 'b',
      version: '0.1.0',
      dependencies: { left: '^1.0.0' },
    },
    'node_modules/a': { resolved: 'packages/a', link: true },
    'node_modules/b': { resolved: 'packages/b', link: true },
    'node_modules/left': {
      version: '2.1.0',
      integrity: 'sha512-left2',
      dependencies: { pad: '^1.0.0' },
      // Installed packages' devDependencies are never installed.
      devDependencies: { never: '^9.0.0' },
    },
    'packages/b/node_modules/left': {
      version: '1.4.0',
      integrity: 'sha512-left1',
    },
    'node_modules/pad': {
      version: '1.2.0',
      integrity: 'sha512-pad12',
      optionalDependencies: { 'pad-linux': '1.2.0', 'pad-darwin': '1.2.0' },
    },
    'node_modules/pad-linux': {
      version: '1.2.0',
      integrity: 'sha512-padl',
      optional: true,
    },
    'node_modules/tool': {
      version: '1.3.0',
      integrity: 'sha512-tool',
      dev: true,
    },
    'node_modules/wrap-cjs': {
      name: 'wrap',
      version: '7.0.0',
      integrity: 'sha512-wrap',
    },
    // Same range, two versions: npm nests one, Yarn's format has room for one.
    'node_modules/x': {
      version: '5.2.1',
      integrity: 'sha512-x52',
      dependencies: {},
    },
    'node_modules/y': {
      version: '1.0.0',
      integrity: 'sha512-y',
      dependencies: { x: '^5.1.2' },
    },
    'node_modules/z': {
      version: '1.0.0',
      integrity: 'sha512-z',
      dependencies: { x: '^5.1.2' },
    },
    'node_modules/z/node_modules/x': {
      version: '5.1.2',
      integrity: 'sha512-x51',
    },
  },
};

it('locks each range to the version npm installs for it, nested lookups included', async () => {
  const { text, collapsed } = yarnLockFromPackageLock(lock);
  const parsed = Lockfile.parse(text);
  const entry = key =>
    parsed.data[
      Object.keys(parsed.data).find(k => k.split(', ').includes(key))
    ];
  assert.equal(entry('left@^2.0.0').version, '2.1.0');
  assert.equal(entry('left@^2.0.0').integrity, 'sha512-left2');
  // b's own node_modules wins over the root's for b's dependency.
  assert.equal(entry('left@^1.0.0').version, '1.4.0');
  assert.deepEqual(entry('left@^2.0.0').dependencies, { pad: '^1.0.0' });
  // Both devDependency ranges of the root and a workspace resolve to the one installed tool.
  assert.equal(entry('tool@^1.0.0'), entry('tool@^1.1.0'));
  assert.equal(entry('tool@^1.0.0').version, '1.3.0');
  // An alias keeps npm's range, as Yarn writes it.
  assert.equal(entry('wrap-cjs@npm:wrap@^7.0.0').version, '7.0.0');
  // The optional binary npm has is locked; the other platform's, absent, is not.
  assert.equal(entry('pad-linux@1.2.0').version, '1.2.0');
  assert.equal(entry('pad-darwin@1.2.0'), undefined);
  // Workspaces are not locked, nor installed packages' devDependencies.
  assert.equal(entry('b@^0.1.0'), undefined);
  assert.equal(entry('never@^9.0.0'), undefined);
  // A range installed at two versions keeps the one nearest the root and is reported.
  assert.equal(entry('x@^5.1.2').version, '5.2.1');
  assert.deepEqual(collapsed, ['x@^5.1.2']);
});

it('refuses a lockfile without "packages" (npm 6)', () => {
  assert.throws(
    () => yarnLockFromPackageLock({ lockfileVersion: 1, dependencies: {} }),
    /lockfileVersion 2 or 3/,
  );
});
