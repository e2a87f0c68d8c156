// Upstream calls, counted from the peers' own records: moto's request log and the
// kube-apiserver's audit log (docs/sandbox.md, "Request logs"). A mark is each file's size;
// `since` reads what was appended, after a short wait for lines still being written.
import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const files = () => ({
  aws: process.env.IRSA_SANDBOX_AWS_REQUEST_LOG,
  k8s: process.env.IRSA_SANDBOX_K8S_AUDIT_LOG,
});

async function size(path) {
  return (await stat(path)).size;
}

async function linesFrom(path, offset) {
  const handle = await open(path, 'r');
  try {
    const end = (await handle.stat()).size;
    const buffer = Buffer.alloc(end - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    const text = buffer.toString('utf8');
    // Only whole lines: a line being written is counted by the next read.
    return text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter(Boolean)
      .map(l => {
        try {
          return JSON.parse(l);
        } catch {
          return undefined;
        }
      })
      .filter(Boolean);
  } finally {
    await handle.close();
  }
}

export async function markPeers() {
  const f = files();
  return { aws: await size(f.aws), k8s: await size(f.k8s) };
}

/**
 * Calls since `mark`: AWS by the long-term key behind them (`awsKey`), Kubernetes by user
 * (`k8sUser`); each as { total, writes, byAction } (Kubernetes also `tokenRequests`).
 */
export async function peersSince(mark, { awsKey, k8sUser }) {
  await sleep(400);
  const f = files();
  const aws = (await linesFrom(f.aws, mark.aws)).filter(
    r => !awsKey || r.sourceAccessKeyId === awsKey,
  );
  const k8s = (await linesFrom(f.k8s, mark.k8s)).filter(
    e =>
      e.stage === 'ResponseComplete' &&
      (!k8sUser || e.user?.username === k8sUser),
  );
  const isAwsRead = r =>
    /^(Get|List|Describe)/.test(r.action) || /^(GET|HEAD) /.test(r.action);
  const tally = (list, name) =>
    list.reduce((m, x) => ({ ...m, [name(x)]: (m[name(x)] ?? 0) + 1 }), {});
  return {
    aws: {
      total: aws.length,
      writes: aws.filter(r => !isAwsRead(r) && r.service !== 'sts').length,
      byAction: tally(aws, r => r.action),
    },
    k8s: {
      total: k8s.length,
      // A TokenRequest (create of serviceaccounts/token, the verify step's proof) changes
      // nothing stored: counted apart, not as a write.
      writes: k8s.filter(
        e =>
          !['get', 'list', 'watch'].includes(e.verb) &&
          e.objectRef?.subresource !== 'token',
      ).length,
      tokenRequests: k8s.filter(e => e.objectRef?.subresource === 'token')
        .length,
      byAction: tally(
        k8s,
        e =>
          `${e.verb} ${e.objectRef?.resource ?? e.requestURI}${
            e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''
          }`,
      ),
    },
  };
}
