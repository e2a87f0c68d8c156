// A read-only npm registry for one scope, serving the tarballs `npm pack` made: it stands in
// for publishing, so the install suite can run docs/install.md's `yarn add` lines as written.
// The app's .yarnrc.yml points only the @backstage-irsa scope here (`npmScopes`), the way a
// company points a scope at its private registry; every other package comes from the
// ordinary registry.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename } from 'node:path';
import { execFileSync } from 'node:child_process';

/** The package.json inside a tarball made by `npm pack`. */
export function readPackedManifest(tarball) {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
}

/**
 * Serves `tarballs` on 127.0.0.1:`port` as a registry (packuments and tarballs); resolves
 * { url, close }. Each package is published "now", so an age gate sees it as new.
 */
export async function startLocalRegistry({ tarballs, port }) {
  const url = `http://127.0.0.1:${port}`;
  const published = new Date().toISOString();
  const packuments = new Map();
  const files = new Map();
  for (const tarball of tarballs) {
    const manifest = readPackedManifest(tarball);
    const data = readFileSync(tarball);
    const sha1 = createHash('sha1').update(data).digest('hex');
    // The content's hash in the URL: Yarn keys its cache on the URL, so a package packed
    // again under the same version is fetched again rather than taken from an older run.
    const file = `${sha1}/${basename(tarball)}`;
    files.set(`/-/${file}`, data);
    packuments.set(manifest.name, {
      name: manifest.name,
      'dist-tags': { latest: manifest.version },
      time: {
        created: published,
        modified: published,
        [manifest.version]: published,
      },
      versions: {
        [manifest.version]: {
          ...manifest,
          _id: `${manifest.name}@${manifest.version}`,
          dist: {
            tarball: `${url}/-/${file}`,
            shasum: sha1,
            integrity: `sha512-${createHash('sha512')
              .update(data)
              .digest('base64')}`,
          },
        },
      },
    });
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, url).pathname);
    const file = files.get(path);
    if (file) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(file);
      return;
    }
    const packument = packuments.get(path.slice(1));
    if (packument) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(packument));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
