/*
 * Copyright 2026 The backstage-irsa Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// What reached the peers, from the peers' own records: the kube-apiserver's audit log and moto's
// request log (docs/sandbox.md, "Request logs"). Both are written as requests complete, a few
// milliseconds after the client may already have its answer, so each mark()/since() makes a
// sentinel request of its own and reads until that request's line appears: every request that
// completed before the call is then in the file.
//
// Other Jest workers share the peers and run at the same time: filter what a test counts by the
// caller (K8s `user`; AWS `sourceAccessKeyId`, so give the backend under test a key of its own)
// or by what the test owns (its fresh namespace, its role names).

import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { iamFor } from './awsClients';
import { coreV1 } from './kubeClients';
import { sandboxEnv } from './sandboxEnv';

/** One AWS request as moto's request log records it (scripts/sandbox-lib/moto_launcher.py). @public */
export interface AwsRequest {
  /** ISO 8601, UTC, milliseconds */
  time: string;
  /** `iam`, `sts`, `eks`: the SigV4 credential scope's service; `sts` for unsigned web-identity calls */
  service: string | null;
  /** the Query `Action` (`CreateRole`), the `X-Amz-Target` operation, else `METHOD /path` (EKS REST) */
  action: string;
  method: string;
  path: string;
  /** HTTP status of moto's answer */
  status: number | null;
  /** the account moto acted in: `x-moto-account-id`, else the signing key's account; null unsigned */
  account: string | null;
  accessKeyId: string | null;
  /**
   * The long-term key behind `accessKeyId` through any AssumeRole chain (itself when it is one):
   * give a backend its own dummy key and this tells its requests from every other test's.
   */
  sourceAccessKeyId: string | null;
  /** for AssumeRole*: the temporary access key id it issued (never its secret or token) */
  issuedAccessKeyId?: string;
  roleArn?: string;
  roleName?: string;
  roleSessionName?: string;
}

/** One kube-apiserver request as its audit log records it (Metadata level). @public */
export interface K8sRequest {
  /** when the request completed (the event's `stageTimestamp`) */
  time: string;
  auditId: string;
  /** e.g. `system:serviceaccount:backstage-irsa-system:backstage-irsa`, `admin` */
  user: string;
  /** get, list, watch, create, update, patch, delete, deletecollection (HTTP verb for non-resource URLs) */
  verb: string;
  uri: string;
  /** '' for the core group */
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** HTTP status of the answer */
  code?: number;
}

/** Where each log stood right after a mark()'s sentinels. @public */
export interface PeerRequestMark {
  aws: number;
  k8s: number;
}

/** @public */
export interface PeerRequestsSince {
  aws: AwsRequest[];
  k8s: K8sRequest[];
}

/** The Kubernetes user of IRSA_SANDBOX_K8S_TOKEN, the backend's identity. @public */
export const BACKSTAGE_K8S_USER =
  'system:serviceaccount:backstage-irsa-system:backstage-irsa';

// Sentinels are named with this prefix; since() drops every such line, another worker's too.
const MARK_PREFIX = 'irsa-log-mark-';
const SENTINEL_TIMEOUT_MS = 10_000;
const POLL_MS = 20;

function logPaths(): { aws: string; k8s: string } {
  const env = sandboxEnv();
  if (!env.awsRequestLog || !env.k8sAuditLog) {
    throw new Error(
      'peerRequests needs IRSA_SANDBOX_AWS_REQUEST_LOG and IRSA_SANDBOX_K8S_AUDIT_LOG. ' +
        'External-cluster mode has no audit log of ours; otherwise the sandbox predates the ' +
        'request logs: `scripts/sandbox down && scripts/sandbox up`, then export `scripts/sandbox env` again.',
    );
  }
  return { aws: env.awsRequestLog, k8s: env.k8sAuditLog };
}

/** Complete lines from `offset` on; `end` is the offset after the last complete one. */
async function readLines(file: string, offset: number) {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size < offset) {
      throw new Error(
        `${file} shrank below offset ${offset}: was the sandbox restarted?`,
      );
    }
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    const read = buf.subarray(0, bytesRead);
    const complete = read.subarray(0, read.lastIndexOf(0x0a) + 1);
    const lines = complete.toString('utf8').split('\n').slice(0, -1);
    return { lines, end: offset + complete.length };
  } finally {
    await fh.close();
  }
}

/**
 * Parsed lines from `offset` up to the sentinel's line, and the offset just after that line.
 * `fromSize`: `offset` is a file size taken at any moment, perhaps in the middle of a line, whose
 * rest is skipped.
 */
async function readUntil(
  file: string,
  offset: number,
  isSentinel: (e: any) => boolean,
  fromSize = false,
): Promise<{ entries: any[]; end: number }> {
  const entries: any[] = [];
  const deadline = Date.now() + SENTINEL_TIMEOUT_MS;
  let at = offset;
  let skipFragment = fromSize && offset > 0;
  for (;;) {
    const { lines, end } = await readLines(file, at);
    let pos = at;
    for (const line of lines) {
      pos += Buffer.byteLength(line) + 1;
      let e: any;
      try {
        e = JSON.parse(line);
      } catch (err) {
        if (!skipFragment) throw err;
      }
      skipFragment = false;
      if (e && isSentinel(e)) return { entries, end: pos };
      if (e) entries.push(e);
    }
    at = end;
    if (Date.now() > deadline) {
      throw new Error(
        `the sentinel request never appeared in ${file} within ${SENTINEL_TIMEOUT_MS} ms; ` +
          'is the sandbox logging requests?',
      );
    }
    await new Promise(r => setTimeout(r, POLL_MS));
  }
}

async function sizeOf(file: string): Promise<number> {
  const fh = await open(file, 'r');
  try {
    return (await fh.stat()).size;
  } finally {
    await fh.close();
  }
}

/** A unique read that moto logs with its RoleName: IAM GetRole of a role that does not exist. */
async function awsSentinel(file: string, offset: number, fromSize = false) {
  const name = `${MARK_PREFIX}${randomBytes(8).toString('hex')}`;
  try {
    await iamFor(sandboxEnv().backstageAccountId).send(
      new GetRoleCommand({ RoleName: name }),
    );
  } catch (e) {
    if (!(e instanceof NoSuchEntityException)) throw e;
  }
  return readUntil(file, offset, e => e.roleName === name, fromSize);
}

/** A unique read the apiserver audits with its name: GET of a ConfigMap that does not exist. */
async function k8sSentinel(file: string, offset: number, fromSize = false) {
  const name = `${MARK_PREFIX}${randomBytes(8).toString('hex')}`;
  try {
    await coreV1('admin').readNamespacedConfigMap({
      namespace: 'default',
      name,
    });
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
  }
  return readUntil(file, offset, e => e.objectRef?.name === name, fromSize);
}

function toK8sRequest(e: any): K8sRequest {
  const o = e.objectRef ?? {};
  return {
    time: e.stageTimestamp,
    auditId: e.auditID,
    user: e.user?.username ?? '',
    verb: e.verb,
    uri: e.requestURI,
    apiGroup: o.resource ? o.apiGroup ?? '' : undefined,
    resource: o.resource,
    subresource: o.subresource,
    namespace: o.namespace,
    name: o.name,
    code: e.responseStatus?.code,
  };
}

/**
 * Requests that reached the sandbox's peers between a mark and now, read from the peers' own logs.
 * Left out: every helper's sentinel, and the apiserver's requests to itself (user
 * `system:apiserver`: lease heartbeats and its own controllers, no client's doing).
 *
 * @public
 */
export const peerRequests = {
  async mark(): Promise<PeerRequestMark> {
    // Start at the current sizes (not 0), so a mark reads only its own sentinel's neighbourhood.
    const files = logPaths();
    const [aws, k8s] = await Promise.all([
      sizeOf(files.aws).then(size => awsSentinel(files.aws, size, true)),
      sizeOf(files.k8s).then(size => k8sSentinel(files.k8s, size, true)),
    ]);
    return { aws: aws.end, k8s: k8s.end };
  },

  async since(mark: PeerRequestMark): Promise<PeerRequestsSince> {
    const files = logPaths();
    const [aws, k8s] = await Promise.all([
      awsSentinel(files.aws, mark.aws),
      k8sSentinel(files.k8s, mark.k8s),
    ]);
    return {
      aws: (aws.entries as AwsRequest[]).filter(
        r => !r.roleName?.startsWith(MARK_PREFIX),
      ),
      k8s: k8s.entries
        .filter(
          e =>
            e.user?.username !== 'system:apiserver' &&
            !e.objectRef?.name?.startsWith(MARK_PREFIX),
        )
        .map(toK8sRequest),
    };
  },
};

/**
 * How an AWS request counts:
 * - `token-use`: STS AssumeRoleWithWebIdentity (spends a Kubernetes ServiceAccount token);
 * - `session`: any other STS call but Get* (AssumeRole, GetSessionToken...): mints credentials,
 *   changes nothing stored;
 * - `read`: an action named Get*, List* or Describe* (GetCallerIdentity included), or a REST
 *   (EKS) GET or HEAD;
 * - `write`: everything else, including a request the log could not name.
 * Every attempt counts whatever its status: a refused write still reached the peer.
 *
 * @public
 */
export function awsRequestKind(
  r: AwsRequest,
): 'read' | 'write' | 'session' | 'token-use' {
  if (r.action === 'AssumeRoleWithWebIdentity') return 'token-use';
  if (/^(Get|List|Describe)[A-Z]/.test(r.action)) return 'read';
  if (r.service === 'sts') return 'session';
  if (r.action === `${r.method} ${r.path}`) {
    return r.method === 'GET' || r.method === 'HEAD' ? 'read' : 'write';
  }
  return 'write';
}

/** AWS requests that change (or tried to change) IAM, EKS or any other state. @public */
export function awsWrites(list: AwsRequest[]): AwsRequest[] {
  return list.filter(r => awsRequestKind(r) === 'write');
}

/** STS AssumeRoleWithWebIdentity calls: a ServiceAccount token spent at AWS. @public */
export function awsTokenUses(list: AwsRequest[]): AwsRequest[] {
  return list.filter(r => awsRequestKind(r) === 'token-use');
}

const K8S_WRITE_VERBS = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
]);

/**
 * Kubernetes requests with a write verb: create, update, patch, delete, deletecollection, on any
 * resource or subresource (a TokenRequest is a `create` of `serviceaccounts/token`), whatever
 * their status.
 *
 * @public
 */
export function k8sWrites(list: K8sRequest[]): K8sRequest[] {
  return list.filter(r => K8S_WRITE_VERBS.has(r.verb));
}

/** TokenRequests: `create` of the core `serviceaccounts/token` subresource. @public */
export function tokenRequests(list: K8sRequest[]): K8sRequest[] {
  return list.filter(
    r =>
      r.verb === 'create' &&
      r.apiGroup === '' &&
      r.resource === 'serviceaccounts' &&
      r.subresource === 'token',
  );
}
