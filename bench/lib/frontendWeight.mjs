// What the IRSA card costs the browser (issue #11): the bytes of plugins/irsa's code in the built
// app (packages/app/dist, from `npm run build --workspace app`). The app build writes source maps
// next to its chunks, so each generated character is attributed to the source file it came from:
// the plugin's own bytes, not the chunks it happens to share with others. Their gzip size is the
// gzip of those bytes concatenated, chunk by chunk; a chunk's compression depends on its
// neighbours, so this is an estimate of what the plugin adds to the transfer, not an exact split.
// Without source maps, the fallback sums the gzip sizes of the chunks that contain the plugin's
// code, an upper bound, and says so in `method`.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

// Webpack names sources `webpack://app/../../plugins/irsa/src/...`.
const GROUPS = {
  'plugins/irsa': /(^|\/)plugins\/irsa\/src\//,
  'plugins/irsa-common': /(^|\/)plugins\/irsa-common\/src\//,
};
// Strings only the IRSA code ships, for finding its chunks when there is no source map.
const MARKERS = [
  'irsa.backstage.io/service-accounts',
  '/api/irsa',
  'irsa.status.read',
];

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = Object.fromEntries([...B64].map((c, i) => [c, i]));

/** Decodes one source-map segment's base64 VLQ fields. */
function decodeVlq(segment) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64_INDEX[ch];
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/**
 * The generated text of `code` attributed to each source index, by the map's mappings: a
 * segment covers its line from its column to the next segment's (columns are UTF-16 units,
 * as JavaScript strings index). Text with no source segment is left out.
 */
function textBySource(code, mappings) {
  const lines = code.split('\n');
  const bySource = new Map();
  let source = 0;
  mappings.split(';').forEach((lineMappings, lineNo) => {
    const line = lines[lineNo] ?? '';
    let col = 0;
    const segs = [];
    for (const seg of lineMappings.split(',')) {
      if (!seg) continue;
      const f = decodeVlq(seg);
      col += f[0];
      if (f.length >= 4) {
        source += f[1];
        segs.push({ col, source }); // f[2], f[3]: the source position, not needed here
      } else {
        segs.push({ col, source: -1 });
      }
    }
    segs.forEach((s, i) => {
      if (s.source < 0) return;
      const end = i + 1 < segs.length ? segs[i + 1].col : line.length;
      const piece = line.slice(s.col, end);
      bySource.set(s.source, (bySource.get(s.source) ?? '') + piece);
    });
  });
  return bySource;
}

const gz = text => gzipSync(Buffer.from(text), { level: 9 }).length;

async function builtChunks(dist) {
  const dir = `${dist}/static`;
  const names = (await readdir(dir)).filter(n => n.endsWith('.js'));
  return names.map(n => ({ file: `static/${n}`, path: `${dir}/${n}` }));
}

/**
 * Measures the IRSA frontend plugin in `root`/packages/app/dist. Returns { method, bytes,
 * gzipBytes, files } for plugins/irsa's own code, with irsa-common's code in the app (which the
 * plugin brings) under `packages`, and the chunks holding either under `chunks`.
 */
export async function frontendWeight(root) {
  const dist = `${root}/packages/app/dist`;
  if (!existsSync(`${dist}/index.html`)) {
    throw new Error(
      `${dist} has no built app: run \`npm run build --workspace app\` first.`,
    );
  }
  const builtAt = (await stat(`${dist}/index.html`)).mtime.toISOString();
  const chunks = await builtChunks(dist);
  const withMaps = chunks.filter(c => existsSync(`${c.path}.map`));

  if (withMaps.length > 0) {
    const text = Object.fromEntries(Object.keys(GROUPS).map(g => [g, '']));
    const perFile = new Map();
    const chunkRows = [];
    // A chunk without a map (webpack leaves empty ones unmapped) counts whole if it has IRSA code.
    const unmapped = [];
    for (const c of chunks) {
      if (!withMaps.includes(c)) {
        const code = await readFile(c.path, 'utf8');
        if (MARKERS.some(m => code.includes(m))) {
          unmapped.push({
            file: c.file,
            bytes: Buffer.byteLength(code),
            gzipBytes: gz(code),
          });
        }
        continue;
      }
      const map = JSON.parse(await readFile(`${c.path}.map`, 'utf8'));
      const ours = map.sources
        .map((s, i) => ({
          s,
          i,
          group: Object.keys(GROUPS).find(g => GROUPS[g].test(s)),
        }))
        .filter(x => x.group);
      if (ours.length === 0) continue;
      const code = await readFile(c.path, 'utf8');
      const bySource = textBySource(code, map.mappings);
      let pluginBytes = 0;
      for (const { s, i, group } of ours) {
        const piece = bySource.get(i) ?? '';
        const file = s.replace(/^.*?(plugins\/)/, '$1');
        perFile.set(file, (perFile.get(file) ?? 0) + Buffer.byteLength(piece));
        text[group] += piece;
        pluginBytes += Buffer.byteLength(piece);
      }
      chunkRows.push({
        file: c.file,
        bytes: Buffer.byteLength(code),
        gzipBytes: gz(code),
        irsaBytes: pluginBytes,
      });
    }
    const packages = Object.fromEntries(
      Object.entries(text).map(([g, t]) => [
        g,
        { bytes: Buffer.byteLength(t), gzipBytes: gz(t) },
      ]),
    );
    const extra = unmapped.reduce(
      (n, r) => ({
        bytes: n.bytes + r.bytes,
        gzipBytes: n.gzipBytes + r.gzipBytes,
      }),
      { bytes: 0, gzipBytes: 0 },
    );
    return {
      method:
        'source-map attribution (gzip -9 of the attributed bytes)' +
        (unmapped.length ? ', plus whole unmapped chunks with IRSA code' : ''),
      bytes: packages['plugins/irsa'].bytes + extra.bytes,
      gzipBytes: packages['plugins/irsa'].gzipBytes + extra.gzipBytes,
      files: [...perFile]
        .map(([file, bytes]) => ({ file, bytes }))
        .sort((a, b) => b.bytes - a.bytes),
      packages,
      chunks: chunkRows,
      unmapped,
      builtAt,
    };
  }

  // No (complete) source maps: whole chunks that carry IRSA strings.
  const rows = [];
  for (const c of chunks) {
    const code = await readFile(c.path, 'utf8');
    if (MARKERS.some(m => code.includes(m))) {
      rows.push({
        file: c.file,
        bytes: Buffer.byteLength(code),
        gzipBytes: gz(code),
      });
    }
  }
  return {
    method:
      'gzip -9 of whole chunks containing IRSA code (no source maps; an upper bound)',
    bytes: rows.reduce((n, r) => n + r.bytes, 0),
    gzipBytes: rows.reduce((n, r) => n + r.gzipBytes, 0),
    files: rows,
    builtAt,
  };
}
