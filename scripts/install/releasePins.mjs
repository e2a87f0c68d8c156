// The Backstage package versions of one release, for the install suite's app: the app must
// be the Backstage release this repository builds against, as a platform team's app made
// with that create-app has it in its yarn.lock. Installed today without a lockfile, its
// ^ranges would take plugins of later releases the registry already serves (it has
// November's packages but not November's create-app): the signals backend of a later release
// then stops the backend at start (`httpRouter.addWebSocketHandler is not a function`).
// Pinned with Yarn `resolutions`: first the versions create-app lists for its own template
// (its version table), then, for the libraries those pull in, the versions this repository's
// package-lock.json holds (the same release).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** `{ '@backstage/x': 'version' }` for the release of `createAppDir` and `root`'s lockfile. */
export function releasePins({ createAppDir, root }) {
  const pins = {};
  const lock = JSON.parse(
    readFileSync(join(root, 'package-lock.json'), 'utf8'),
  );
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = /^node_modules\/(@backstage\/[^/]+)$/.exec(path)?.[1];
    if (name && entry.version) pins[name] = entry.version;
  }
  const { packageVersions } = createRequire(import.meta.url)(
    join(createAppDir, 'dist/lib/versions.cjs.js'),
  );
  for (const [name, version] of Object.entries(packageVersions)) {
    if (name.startsWith('@backstage/')) pins[name] = version;
  }
  return pins;
}
