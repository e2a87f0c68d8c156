// Builds and packs the five published packages the way a release would: type declarations
// (`tsc`, which backstage-cli's build reads from dist-types), `backstage-cli package build`,
// then `npm pack`, which runs each package's `prepack` (`backstage-cli package prepack`:
// package.json pointed at dist, exports and feature types written, config.d.ts compiled to
// config.schema.json) and `postpack` (package.json restored). Also checks what each tarball
// holds, so a package that would install but not load fails here, named.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readPackedManifest } from './localRegistry.mjs';

/** Package folders, dependencies first. */
export const PUBLISHED_PACKAGES = [
  'plugins/irsa-common',
  'plugins/irsa-node',
  'plugins/irsa-backend',
  'plugins/scaffolder-backend-module-irsa',
  'plugins/irsa',
];

/**
 * Builds and packs every published package into `outDir`; returns the tarballs' paths.
 * `exec(cmd, args, { cwd })` runs a command (the suite's logging runner).
 */
export function packPackages({ root, outDir, exec }) {
  // Type errors are the typecheck suite's to report; here only the declarations matter,
  // which tsc writes in spite of them (the build fails when they are missing).
  exec('npx', ['tsc'], { cwd: root, allowFailure: true });
  const tarballs = [];
  for (const dir of PUBLISHED_PACKAGES) {
    const cwd = resolve(root, dir);
    exec('npx', ['backstage-cli', 'package', 'build'], { cwd });
    const before = new Set(readdirSync(outDir));
    try {
      exec('npm', ['pack', '--pack-destination', outDir], { cwd });
    } finally {
      // npm skips postpack when the pack fails: put package.json back all the same.
      if (existsSync(join(cwd, 'package.json-prepack'))) {
        exec('npx', ['backstage-cli', 'package', 'postpack'], { cwd });
      }
    }
    const made = readdirSync(outDir).filter(
      f => f.endsWith('.tgz') && !before.has(f),
    );
    if (made.length !== 1) {
      throw new Error(`npm pack in ${dir} made ${made.length} tarballs`);
    }
    tarballs.push(join(outDir, made[0]));
  }
  return tarballs;
}

/** The files in a tarball, without the leading `package/`. */
export function tarballFiles(tarball) {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(f => f.replace(/^package\//, ''));
}

function exportTargets(exp) {
  if (typeof exp === 'string') return [exp];
  if (exp && typeof exp === 'object') {
    return Object.values(exp).flatMap(exportTargets);
  }
  return [];
}

/**
 * What is wrong with a packed package, in words (empty when nothing): every entry point,
 * types file, export and config schema the manifest names is in the tarball and none points
 * at src/; dependencies are registry ranges; role-specific entries are there.
 */
export function tarballProblems(tarball) {
  const manifest = readPackedManifest(tarball);
  const files = new Set(tarballFiles(tarball));
  const problems = [];
  const has = (path, why) => {
    const file = path.replace(/^\.\//, '');
    if (file.startsWith('src/'))
      problems.push(`${why} points at source: ${path}`);
    else if (!files.has(file))
      problems.push(`${why} ${path} is not in the tarball`);
  };
  for (const key of ['main', 'module', 'types']) {
    if (manifest[key]) has(manifest[key], key);
  }
  if (!manifest.main) problems.push('no main');
  if (!manifest.types) problems.push('no types');
  for (const [mount, exp] of Object.entries(manifest.exports ?? {})) {
    for (const target of exportTargets(exp)) {
      if (target.startsWith('@backstage/')) continue; // a feature type, not a file
      has(target, `exports["${mount}"]`);
    }
  }
  if (manifest.configSchema) has(manifest.configSchema, 'configSchema');
  if (!files.has('README.md')) problems.push('no README.md');
  for (const field of ['dependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|file|link|portal):/.test(range)) {
        problems.push(`${field}.${name} is "${range}", not a registry range`);
      }
    }
  }
  const role = manifest.backstage?.role;
  if (role === 'backend-plugin' || role === 'backend-plugin-module') {
    if (manifest.backstage.features?.['.'] !== '@backstage/BackendFeature') {
      problems.push(`${role} without the BackendFeature default export`);
    }
  }
  if (role === 'frontend-plugin') {
    if (
      manifest.exports?.['./alpha']?.backstage !== '@backstage/FrontendPlugin'
    ) {
      problems.push('no ./alpha export of the new frontend system plugin');
    }
  }
  if (
    manifest.name === '@backstage-irsa/plugin-scaffolder-backend-module-irsa'
  ) {
    if (!files.has('templates/request-aws-access/template.yaml')) {
      problems.push('the "Request AWS access" template is not in the tarball');
    }
  }
  return problems;
}
