// Turns a benchmark result into the report block of docs/benchmarks.md: medians, spread
// (min–max) and the median of per-pair ratios, the call counts, and each target met or not.
const START = '<!-- bench:report:start -->';
const END = '<!-- bench:report:end -->';

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f = n => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const stats = xs =>
  `${f(median(xs))} ms (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
const ratio = (pairs, a, b) => median(pairs.map(p => a(p) / b(p)));
const calls = c =>
  `AWS ${c.aws.total} (${c.aws.writes} writes), Kubernetes ${c.k8s.total} (${c.k8s.writes} writes)`;
const mark = ok => (ok ? '**met**' : '**not met**');
/** The backend's CPU time per request of a load, when it was measured. */
const cpu = l =>
  l?.backendCpuMsPerRequest === undefined
    ? ''
    : `; backend CPU ${l.backendCpuMsPerRequest.toFixed(2)} ms a request`;

export function summarize(r) {
  const p = r.pairs;
  const ms = sel => p.map(x => sel(x).ms);
  const templateRatio = ratio(
    p,
    x => x.product.template.ms,
    x => x.manual.provision.ms,
  );
  const statusRatio = ratio(
    p,
    x => x.product.statusCold.ms,
    x => x.manual.status.ms,
  );
  const floorRatio = ratio(
    p,
    x => x.product.statusCold.ms,
    x => x.floor.status,
  );
  const verifyRatio = ratio(
    p,
    x => x.product.verify.ms,
    x => x.manual.verify.ms,
  );
  const warm = median(ms(x => x.product.statusWarm));
  // The plugin's own share of a cold status (Server-Timing `status`) against the floor.
  const oursFloorRatio = ratio(
    p,
    x => x.product.statusCold.serverTiming?.status ?? NaN,
    x => x.floor.status,
  );
  const warmOurs = median(
    p.map(x => x.product.statusWarm.serverTiming?.status ?? NaN),
  );
  const warmAccess = median(
    p.map(x => x.product.statusWarm.serverTiming?.access ?? NaN),
  );
  const getRoles = r.load.iamCallsByAction?.GetRole ?? 0;
  return {
    templateRatio,
    statusRatio,
    floorRatio,
    oursFloorRatio,
    verifyRatio,
    warm,
    warmOurs,
    warmAccess,
    getRoles,
    targets: [
      [
        'Template run ≤ 0.5× manual provision',
        templateRatio <= 0.5,
        `${templateRatio.toFixed(2)}×`,
      ],
      [
        'Status ≤ 0.1× manual status',
        statusRatio <= 0.1,
        `${statusRatio.toFixed(3)}×`,
      ],
      [
        'Status cold ≤ 2× its round-trip floor',
        floorRatio <= 2,
        `${floorRatio.toFixed(
          2,
        )}× (the plugin's own part, Server-Timing \`status\`: ${oursFloorRatio.toFixed(
          2,
        )}× the floor; the rest is the catalog lookup and permission check)`,
      ],
      [
        'Status warm ≤ 10 ms server time',
        warmAccess + warmOurs <= 10,
        `${f(warmAccess + warmOurs)} ms: catalog and permission ${f(
          warmAccess,
        )} ms, the status itself ${f(warmOurs)} ms (${f(
          warm,
        )} ms at the client)`,
      ],
      [
        'Verify ≤ 0.3× manual verify',
        verifyRatio <= 0.3,
        `${verifyRatio.toFixed(2)}×`,
      ],
      [
        'Re-run with nothing to change writes 0',
        r.rerun.calls.aws.writes + r.rerun.calls.k8s.writes === 0,
        calls(r.rerun.calls),
      ],
      [
        `Status p99 ≤ 100 ms at ${r.load.connections} connections, 0 errors`,
        r.load.latency.p99 <= 100 && r.load.errors === 0 && r.load.non2xx === 0,
        `p99 ${r.load.latency.p99} ms, ${r.load.errors} errors, ${r.load.non2xx} non-2xx`,
      ],
      [
        'At most one GetRole per role per cache TTL during load',
        getRoles <= r.load.serviceAccounts,
        `${getRoles} GetRole for ${r.load.serviceAccounts} roles`,
      ],
      [
        'Overview of 2,000 bindings, first page ≤ 500 ms warm',
        median(r.load.overview.warmMs) <= 500,
        `${f(median(r.load.overview.warmMs))} ms warm (cold ${f(
          r.load.overview.coldMs,
        )} ms), ${r.load.overview.total} bindings, ${
          r.load.overview.pageSize
        } a page`,
      ],
      [
        'Plugin frontend code ≤ 30 kB gzip',
        r.frontend.gzipBytes <= 30 * 1024,
        `${(r.frontend.gzipBytes / 1024).toFixed(1)} kB`,
      ],
    ],
  };
}

export function renderReport(doc, r, file) {
  const s = summarize(r);
  const p = r.pairs;
  const first = p[0];
  const m = r.machine;
  const lines = [
    START,
    `Last run: ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${
      m.cpuModel
    }, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; manual path with ${
      r.tools.aws
    } and ${r.tools.k8sClient}. Raw numbers: \`${file}\`.`,
    '',
    `${p.length} pairs, interleaved (manual, then product, then the floor, per pair); median (min–max), and the median of per-pair ratios.`,
    '',
    '| operation | manual path | product | floor | product ÷ manual |',
    '| --- | --- | --- | --- | --- |',
    `| provision / template run | ${stats(
      p.map(x => x.manual.provision.ms),
    )} | ${stats(
      p.map(x => x.product.template.ms),
    )} | | ${s.templateRatio.toFixed(2)}× |`,
    `| status, cold (first after the template) | ${stats(
      p.map(x => x.manual.status.ms),
    )} | ${stats(p.map(x => x.product.statusCold.ms))} | ${stats(
      p.map(x => x.floor.status),
    )} | ${s.statusRatio.toFixed(3)}× (floor ${s.floorRatio.toFixed(2)}×) |`,
    `| status, warm | | ${stats(p.map(x => x.product.statusWarm.ms))} | | |`,
    `| verify | ${stats(p.map(x => x.manual.verify.ms))} | ${stats(
      p.map(x => x.product.verify.ms),
    )} | ${stats(p.map(x => x.floor.verify))} | ${s.verifyRatio.toFixed(2)}× |`,
    '',
    "Upstream calls of one pair, from the peers' own logs (moto's request log, the kube-apiserver's audit log):",
    '',
    '| operation | manual path | product |',
    '| --- | --- | --- |',
    `| provision / template run | ${calls(
      first.manual.provision.calls,
    )} | ${calls(first.product.template.calls)} |`,
    `| status cold | ${calls(first.manual.status.calls)} | ${calls(
      first.product.statusCold.calls,
    )} |`,
    `| status warm | | ${calls(first.product.statusWarm.calls)} |`,
    `| verify | ${calls(first.manual.verify.calls)} | ${calls(
      first.product.verify.calls,
    )} |`,
    `| template re-run, nothing to change | | ${calls(r.rerun.calls)} |`,
    '',
    `Load: ${r.load.bindings} bindings (${
      r.load.serviceAccounts
    } ServiceAccounts × ${
      r.load.clusters
    } cluster names), \`/status\` of a random entity, ${
      r.load.connections
    } connections for ${r.load.durationSeconds} s: ${
      r.load.requests
    } requests, ${f(r.load.throughputPerSec)}/s, p50 ${
      r.load.latency.p50
    } ms, p99 ${r.load.latency.p99} ms, max ${r.load.latency.max} ms, ${
      r.load.errors
    } errors, ${r.load.non2xx} non-2xx; backend RSS ${r.load.rssBeforeMb} → ${
      r.load.rssAfterMb
    } MB; IAM calls during the run ${r.load.iamCallsDuringRun} (${
      Object.entries(r.load.iamCallsByAction ?? {})
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    })${cpu(r.load)}.`,
    ...(r.load.repeat
      ? [
          '',
          `The same load again for ${
            r.load.repeat.durationSeconds
          } s, to tell a leak from a heap sized for the load: ${f(
            r.load.repeat.throughputPerSec,
          )}/s, p99 ${r.load.repeat.latency.p99} ms, ${
            r.load.repeat.errors
          } errors; backend RSS ${r.load.repeat.rssBeforeMb} → ${
            r.load.repeat.rssAfterMb
          } MB${cpu(r.load.repeat)}.`,
        ]
      : []),
    '',
    `The same status load with every report cached (\`bench/app-config.cached.yaml\`: \`statusTtlSeconds\` 300, one sweep first; ${
      r.load.allCached.iamCallsDuringRun
    } IAM calls during it), so no request reaches AWS or Kubernetes: ${f(
      r.load.allCached.throughputPerSec,
    )}/s, p50 ${r.load.allCached.latency.p50} ms, p99 ${
      r.load.allCached.latency.p99
    } ms, ${r.load.allCached.errors} errors${cpu(r.load.allCached)}.`,
    '',
    `The same load on the catalog's own entity lookup (\`GET /api/catalog/entities/by-name/...\`, one of the hops every \`/status\` makes before any of the plugin's code): ${f(
      r.load.catalogLookup.throughputPerSec,
    )}/s, p50 ${r.load.catalogLookup.latency.p50} ms, p99 ${
      r.load.catalogLookup.latency.p99
    } ms, ${r.load.catalogLookup.errors} errors${cpu(r.load.catalogLookup)}.`,
    '',
    ...(r.load.overview.byStatus
      ? [
          `The overview sorted by status, which checks every one of its ${
            r.load.overview.byStatus.total
          } rows: first page ${f(
            r.load.overview.byStatus.coldMs,
          )} ms cold (\`fresh=true\`: every peer read anew), ${f(
            median(r.load.overview.byStatus.warmMs),
          )} ms warm (median of 10); the export of all ${
            r.load.overview.export.rows
          } rows as JSON after it, ${f(r.load.overview.export.ms)} ms.`,
          '',
        ]
      : []),
    `Frontend: the IRSA plugin's code in the built app, ${r.frontend.bytes} bytes, ${r.frontend.gzipBytes} gzip (${r.frontend.method}).`,
    '',
    '| target | result | number |',
    '| --- | --- | --- |',
    ...s.targets.map(([t, ok, n]) => `| ${t} | ${mark(ok)} | ${n} |`),
    END,
  ];
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < 0) return `${doc.trimEnd()}\n\n${lines.join('\n')}\n`;
  return doc.slice(0, a) + lines.join('\n') + doc.slice(b + END.length);
}
