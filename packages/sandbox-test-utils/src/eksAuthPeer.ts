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

// The `authProvider: aws` peer: a second kube-apiserver (127.0.0.1:6543) whose token webhook is
// aws-iam-authenticator, verifying EKS tokens against an STS the test runs
// (scripts/sandbox-lib/eks-auth.sh; docs/sandbox.md, "EKS authentication").

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fakecloudBinary } from './fakecloud';
import { sandboxRequired } from './sandboxEnv';

const run = promisify(execFile);

/** The pinned release (scripts/sandbox-lib/common.sh). @public */
export const AUTHENTICATOR_VERSION =
  process.env.IRSA_AUTHENTICATOR_VERSION || 'v0.7.18';

/** Where build-aws-iam-authenticator.sh puts the binary. @public */
export function authenticatorBinary(): string {
  const cacheHome =
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const cache =
    process.env.IRSA_CACHE_DIR || path.join(cacheHome, 'backstage-irsa');
  return path.join(
    cache,
    `aws-iam-authenticator-${AUTHENTICATOR_VERSION}`,
    'aws-iam-authenticator',
  );
}

/** @public */
export interface EksAuthPeer {
  /** `https://127.0.0.1:6543` */
  url: string;
  caFile: string;
  /** The cluster id the authenticator checks in `x-k8s-aws-id` (the sandbox's EKS name). */
  clusterId: string;
  region: string;
  /** The IAM role the authenticator maps to {@link EksAuthPeer.username}. */
  roleArn: string;
  username: string;
  /** That apiserver's audit log (Metadata level). */
  auditLog: string;
  /** Its logs: eks-kube-apiserver.log, eks-authenticator.log, eks-sts-forwarder.log. */
  logsDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the peer with `stsUpstream` (an STS on 127.0.0.1, e.g. a fakecloud started with
 * --verify-sigv4) as the STS the authenticator's requests reach. Needs the sandbox up;
 * `root` is the repository's root (the test's `__dirname` tells it).
 *
 * @public
 */
export async function startEksAuth(options: {
  root: string;
  stsUpstream: string;
}): Promise<EksAuthPeer> {
  const script = path.join(options.root, 'scripts/sandbox-lib/eks-auth.sh');
  const env = {
    ...process.env,
    IRSA_EKS_AUTH_STS_UPSTREAM: options.stsUpstream,
  };
  let stdout: string;
  try {
    ({ stdout } = await run('bash', [script, 'up'], {
      env,
      timeout: 180_000,
    }));
  } catch (e) {
    await run('bash', [script, 'down'], { env }).catch(() => undefined);
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `eks-auth.sh up failed: ${err.message}\n${(err.stderr ?? '').slice(
        -4000,
      )}`,
    );
  }
  const vars = Object.fromEntries(
    [...stdout.matchAll(/^export (IRSA_EKS_AUTH_[A-Z0-9_]+)=(.*)$/gm)].map(
      m => [m[1], m[2]],
    ),
  );
  const need = (k: string) => {
    if (!vars[k]) {
      throw new Error(
        `eks-auth.sh up printed no ${k}:\n${stdout.slice(-2000)}`,
      );
    }
    return vars[k];
  };
  return {
    url: need('IRSA_EKS_AUTH_K8S_URL'),
    caFile: need('IRSA_EKS_AUTH_CA_FILE'),
    clusterId: need('IRSA_EKS_AUTH_CLUSTER_ID'),
    region: need('IRSA_EKS_AUTH_REGION'),
    roleArn: need('IRSA_EKS_AUTH_ROLE_ARN'),
    username: need('IRSA_EKS_AUTH_USERNAME'),
    auditLog: need('IRSA_EKS_AUTH_AUDIT_LOG'),
    logsDir: need('IRSA_EKS_AUTH_LOGS_DIR'),
    stop: async () => {
      await run('bash', [script, 'down'], { env });
    },
  };
}

// Jest's globals through globalThis, as in sandboxEnv.ts (keeps this a library module).
const jestGlobals = globalThis as unknown as {
  describe: jest.Describe;
  it: jest.It;
};

/**
 * `describe` when aws-iam-authenticator and fakecloud are built; otherwise skipped with a
 * message, or failed under IRSA_SANDBOX_REQUIRED=1 (scripts/test builds both first).
 *
 * @public
 */
export function describeEksAuth(name: string, fn: () => void): void {
  const { describe, it } = jestGlobals;
  const missing = [
    [
      authenticatorBinary(),
      'scripts/sandbox-lib/build-aws-iam-authenticator.sh',
    ],
    [fakecloudBinary(), 'scripts/sandbox-lib/install-fakecloud.sh'],
  ].filter(([bin]) => !fs.existsSync(bin));
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  const why = missing
    .map(([bin, how]) => `${bin} is missing (run ${how})`)
    .join('; ');
  if (sandboxRequired()) {
    describe(name, () => {
      it('needs aws-iam-authenticator and fakecloud (IRSA_SANDBOX_REQUIRED=1)', () => {
        throw new Error(why);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED "${name}": ${why}.`);
  describe.skip(`${name} [skipped: ${why}]`, fn);
}
