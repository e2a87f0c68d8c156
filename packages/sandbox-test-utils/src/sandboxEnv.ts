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

/**
 * The running sandbox, as described by `eval "$(scripts/sandbox env)"`.
 *
 * @public
 */
export interface SandboxEnv {
  dir: string;
  region: string;
  awsEndpoint: string;
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
  backstageAccountId: string;
  clusterAccountId: string;
  targetAccountId: string;
  managerRoleName: string;
  eksClusterName: string;
  k8sUrl: string;
  oidcIssuer: string;
  k8sCaFile: string;
  /** base64 of the CA PEM, as EKS reports `certificateAuthority.data` */
  k8sCaData: string;
  /** token of the backstage-irsa ServiceAccount (what the backend uses) */
  k8sToken: string;
  /** admin bearer token; empty for an external cluster with certificate auth */
  k8sAdminToken: string;
  kubeconfig: string;
  backstageKubeconfig: string;
  /** kube-apiserver audit log, one JSON event per request; empty for an external cluster */
  k8sAuditLog: string;
  /** moto's request log, one JSON line per AWS request (moto_launcher.py) */
  awsRequestLog: string;
}

const VARS: Record<keyof SandboxEnv, string> = {
  dir: 'IRSA_SANDBOX_DIR',
  region: 'IRSA_SANDBOX_REGION',
  awsEndpoint: 'IRSA_SANDBOX_AWS_ENDPOINT',
  awsAccessKeyId: 'IRSA_SANDBOX_AWS_ACCESS_KEY_ID',
  awsSecretAccessKey: 'IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY',
  backstageAccountId: 'IRSA_SANDBOX_BACKSTAGE_ACCOUNT_ID',
  clusterAccountId: 'IRSA_SANDBOX_CLUSTER_ACCOUNT_ID',
  targetAccountId: 'IRSA_SANDBOX_TARGET_ACCOUNT_ID',
  managerRoleName: 'IRSA_SANDBOX_MANAGER_ROLE_NAME',
  eksClusterName: 'IRSA_SANDBOX_EKS_CLUSTER_NAME',
  k8sUrl: 'IRSA_SANDBOX_K8S_URL',
  oidcIssuer: 'IRSA_SANDBOX_OIDC_ISSUER',
  k8sCaFile: 'IRSA_SANDBOX_K8S_CA_FILE',
  k8sCaData: 'IRSA_SANDBOX_K8S_CA_DATA',
  k8sToken: 'IRSA_SANDBOX_K8S_TOKEN',
  k8sAdminToken: 'IRSA_SANDBOX_K8S_ADMIN_TOKEN',
  kubeconfig: 'IRSA_SANDBOX_KUBECONFIG',
  backstageKubeconfig: 'IRSA_SANDBOX_BACKSTAGE_KUBECONFIG',
  k8sAuditLog: 'IRSA_SANDBOX_K8S_AUDIT_LOG',
  awsRequestLog: 'IRSA_SANDBOX_AWS_REQUEST_LOG',
};

// May be empty even when the sandbox is up. The request logs too: an external cluster has no
// audit log of ours, and an env exported before the logs existed should not skip every suite;
// peerRequestLog.ts refuses to count without them instead.
const OPTIONAL: ReadonlyArray<keyof SandboxEnv> = [
  'k8sAdminToken',
  'k8sAuditLog',
  'awsRequestLog',
];

const HOW_TO =
  'start it with `scripts/sandbox up && eval "$(scripts/sandbox env)"` (or run scripts/test)';

function missingVars(): string[] {
  return (Object.keys(VARS) as Array<keyof SandboxEnv>)
    .filter(k => !OPTIONAL.includes(k) && !process.env[VARS[k]])
    .map(k => VARS[k]);
}

/**
 * True when the sandbox environment variables are set.
 *
 * @public
 */
export function sandboxAvailable(): boolean {
  return missingVars().length === 0;
}

/**
 * True when suites must not skip: IRSA_SANDBOX_REQUIRED=1 (set by scripts/test and CI).
 *
 * @public
 */
export function sandboxRequired(): boolean {
  return process.env.IRSA_SANDBOX_REQUIRED === '1';
}

/**
 * The sandbox environment; throws a clear error when it is not set.
 *
 * @public
 */
export function sandboxEnv(): SandboxEnv {
  const missing = missingVars();
  if (missing.length > 0) {
    throw new Error(
      `The backstage-irsa sandbox is not available (unset: ${missing.join(
        ', ',
      )}); ${HOW_TO}.`,
    );
  }
  const env = {} as SandboxEnv;
  for (const k of Object.keys(VARS) as Array<keyof SandboxEnv>) {
    env[k] = process.env[VARS[k]] ?? '';
  }
  return env;
}

// Jest's globals, reached through globalThis: calling `describe` by name would make the linter
// treat this library module as a test file (no exports allowed there).
const jestGlobals = globalThis as unknown as {
  describe: jest.Describe;
  it: jest.It;
};

/**
 * `describe` for suites that need the sandbox. Without the sandbox the suite is skipped with a
 * visible message, or fails when IRSA_SANDBOX_REQUIRED=1 (so CI can never pass by skipping).
 *
 * @public
 */
export function describeSandbox(name: string, fn: () => void): void {
  const { describe, it } = jestGlobals;
  if (sandboxAvailable()) {
    describe(name, fn);
    return;
  }
  if (sandboxRequired()) {
    describe(name, () => {
      it('needs the sandbox (IRSA_SANDBOX_REQUIRED=1)', () => {
        sandboxEnv(); // throws the explanation
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(
    `SKIPPED "${name}": the backstage-irsa sandbox is not running; ${HOW_TO}.`,
  );
  // Not `describe.skip(name, fn)`: Jest still runs a skipped suite's body to collect its
  // tests, and bodies may build sandbox clients at that point.
  describe.skip(`${name} [skipped: sandbox not running]`, () => {
    it('needs the sandbox', () => {});
  });
}
