// The load of the benchmark (issue #11): GET /api/irsa/status for a random seeded entity per
// request, from autocannon in this process, against a running backend. Besides autocannon's
// numbers it reads what the run cost the backend (its node process's resident memory) and the
// AWS peer (IAM requests in moto's own request log, docs/sandbox.md "Request logs").
import { open, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import autocannon from 'autocannon';

/** VmRSS of a process in MB, from /proc/<pid>/status. */
export async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * The backend's own node process under `pid` (the `backstage-cli package start` process, or the
 * npx above it): the CLI runs the backend in a child node process, and the CLI's RSS says
 * nothing about the backend's. Among `pid` and its descendants that run node and are not the
 * CLI (or npm/npx) itself, the one with the largest RSS.
 */
export async function backendNodePid(pid) {
  const procs = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command: state, ppid, ...
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const exe = basename(await readlink(`/proc/${entry}/exe`));
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split(
        '\0',
      );
      procs.push({ pid: Number(entry), ppid, exe, cmdline });
    } catch {
      // gone, or not ours to read
    }
  }
  const tree = new Set([Number(pid)]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (tree.has(p.ppid) && !tree.has(p.pid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  const candidates = procs.filter(
    p =>
      tree.has(p.pid) &&
      p.exe === 'node' &&
      // npm retitles itself `npm exec ...`; the CLI runs as node .../.bin/backstage-cli.
      !/^(npm|npx)\b/.test(p.cmdline[0]) &&
      !p.cmdline.some(a =>
        /(^|\/)(backstage-cli|npx|npm|npx-cli\.js|npm-cli\.js)$/.test(a),
      ),
  );
  if (candidates.length === 0) {
    throw new Error(`no backend node process under pid ${pid}`);
  }
  const sized = await Promise.all(
    candidates.map(async p => ({ ...p, rss: await rssMb(p.pid) })),
  );
  return sized.sort((a, b) => b.rss - a.rss)[0].pid;
}

/**
 * CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat. Per request, it
 * says what a request costs the backend whatever else shares the machine's cores, which
 * throughput and latency on this shared 2-core machine do not.
 */
export async function cpuMs(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command start at state (field 3); utime and stime are
  // fields 14 and 15, in clock ticks (100 a second on Linux).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Size of a file now: where a run's new lines start. */
const sizeOf = async file => (await stat(file)).size;

/**
 * The AWS requests moto logged between two offsets, complete lines only. A start offset inside
 * a line (another client's request being written) skips that line's rest.
 */
async function awsRequestsBetween(file, from, to) {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(to - from + 1);
    // One byte before `from`, to know whether it starts a line.
    const start = Math.max(0, from - 1);
    const { bytesRead } = await fh.read(buf, 0, to - start, start);
    let text = buf.subarray(0, bytesRead).toString('utf8');
    if (from > 0) {
      text =
        text[0] === '\n' ? text.slice(1) : text.slice(text.indexOf('\n') + 1);
    }
    return text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line));
  } finally {
    await fh.close();
  }
}

function statusPath(entityRef) {
  return `/api/irsa/status?entityRef=${encodeURIComponent(entityRef)}`;
}

/**
 * Polls the catalog until every ref in `entityRefs` is there (it ingests the generated file in
 * the background after start-up); resolves with the ms waited.
 */
export async function waitForEntities({
  baseUrl,
  token,
  entityRefs,
  timeoutMs = 180_000,
}) {
  const start = Date.now();
  for (;;) {
    const res = await fetch(`${baseUrl}/api/catalog/entities/by-refs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ entityRefs, fields: ['kind', 'metadata.name'] }),
    });
    // Items come back in the order asked, null where the catalog has no such entity yet.
    if (res.ok && (await res.json()).items.every(Boolean))
      return Date.now() - start;
    if (Date.now() - start > timeoutMs) {
      throw new Error(
        `the catalog did not list all ${entityRefs.length} entities within ${timeoutMs} ms`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/**
 * Runs the status load and returns autocannon's numbers with the backend's RSS before and
 * after, and the IAM requests moto logged during the run (total and per action). The AWS log
 * is shared with everyone using the sandbox: give the backend a dummy access key of its own and
 * pass it as `awsAccessKeyId` to count only the backend's requests (moto's `sourceAccessKeyId`).
 */
export async function runLoad({
  baseUrl,
  token,
  entityRefs,
  connections = 50,
  durationSeconds = 60,
  backendPid,
  awsRequestLog = process.env.IRSA_SANDBOX_AWS_REQUEST_LOG,
  awsAccessKeyId,
  timeoutSeconds = 30,
  // What each request asks for; /status by default. The benchmark also loads the
  // catalog's own entity lookup, the framework's share of every /status.
  pathFor = statusPath,
}) {
  // One request first: the harness must be measuring real answers, not 401s or empty reports.
  const probe = await fetch(`${baseUrl}${pathFor(entityRefs[0])}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!probe.ok) {
    throw new Error(
      `GET ${pathFor(entityRefs[0])} answered ${
        probe.status
      }: ${await probe.text()}`,
    );
  }
  const sampleBindings = (await probe.json()).bindings?.length ?? 0;

  const nodePid = backendPid ? await backendNodePid(backendPid) : undefined;
  const rssBeforeMb = nodePid ? await rssMb(nodePid) : undefined;
  const cpuBeforeMs = nodePid ? await cpuMs(nodePid) : undefined;
  const logFrom = awsRequestLog ? await sizeOf(awsRequestLog) : undefined;

  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: durationSeconds,
    timeout: timeoutSeconds,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    requests: [
      {
        method: 'GET',
        // A random entity per request, so no single entity's answer is all that is measured.
        setupRequest: req => ({
          ...req,
          path: pathFor(
            entityRefs[Math.floor(Math.random() * entityRefs.length)],
          ),
        }),
      },
    ],
  });

  // moto writes each line before it answers, so every IAM call behind a response is logged.
  const logTo = awsRequestLog ? await sizeOf(awsRequestLog) : undefined;
  const rssAfterMb = nodePid ? await rssMb(nodePid) : undefined;
  const backendCpuMsPerRequest =
    nodePid && result.requests.total > 0
      ? Math.round(
          (((await cpuMs(nodePid)) - cpuBeforeMs) / result.requests.total) *
            100,
        ) / 100
      : undefined;
  let iamCallsDuringRun;
  let iamCallsByAction;
  if (awsRequestLog) {
    const iam = (
      await awsRequestsBetween(awsRequestLog, logFrom, logTo)
    ).filter(
      r =>
        r.service === 'iam' &&
        (!awsAccessKeyId || r.sourceAccessKeyId === awsAccessKeyId),
    );
    iamCallsDuringRun = iam.length;
    iamCallsByAction = {};
    for (const r of iam)
      iamCallsByAction[r.action] = (iamCallsByAction[r.action] ?? 0) + 1;
  }

  return {
    connections,
    durationSeconds: result.duration,
    requests: result.requests.total,
    throughputPerSec: result.requests.average,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [
        code,
        count,
      ]),
    ),
    sampleBindings,
    backendNodePid: nodePid,
    rssBeforeMb,
    rssAfterMb,
    backendCpuMsPerRequest,
    iamCallsDuringRun,
    iamCallsByAction,
    iamCallsCountedFor: awsAccessKeyId
      ? `sourceAccessKeyId ${awsAccessKeyId}`
      : 'every caller',
  };
}
