import {
  attachedPolicyArns,
  BACKSTAGE_K8S_USER,
  coreV1,
  findSecrets,
  guestTokenWhenCatalogHas,
  type K8sRequest,
  k8sWrites,
  sandboxEnv,
  startBackendProcess,
  type BackendProcess,
} from '@backstage-irsa/sandbox-test-utils';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The takeover fixture's service (team-payments) the reliability suites request access for, in
 * its own namespace, so what they make never shows on the example services' cards.
 */
export const RELIABILITY_ENTITY = 'component:default/reliability-service';
export const RELIABILITY_NAMESPACE = 'reliability';
export const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
export const REPO_ROOT = resolve(__dirname, '../../../..');
export const RESULTS = resolve(REPO_ROOT, 'test-results');

/**
 * The real backend (production mode, the takeover fixture's guest in team-payments) with
 * every AWS call to `awsEndpoint`, and a client that talks to it as the guest: its API,
 * and templates run to the end.
 */
export async function startGuestBackend(options: {
  awsEndpoint: string;
  logName: string;
  /** More config files, relative to the repository root. */
  configs?: string[];
  /** Where it listens (its config must say so too); 7007 by default. */
  port?: number;
  /** The Kubernetes API URL of cluster `sandbox` (a fault proxy in front of it, say). */
  k8sUrl?: string;
}) {
  mkdirSync(RESULTS, { recursive: true });
  // The entity's namespace; the sandbox does not seed it.
  await coreV1()
    .createNamespace({ body: { metadata: { name: RELIABILITY_NAMESPACE } } })
    .catch(e => {
      if (e.code !== 409) throw e;
    });
  const backend: BackendProcess = await startBackendProcess({
    root: REPO_ROOT,
    configs: [
      'packages/sandbox-test-utils/fixtures/takeover/app-config.yaml',
      ...(options.configs ?? []),
    ],
    env: {
      NODE_ENV: 'production',
      AWS_ENDPOINT_URL: options.awsEndpoint,
      ...(options.k8sUrl ? { IRSA_SANDBOX_K8S_URL: options.k8sUrl } : {}),
    },
    logFile: resolve(RESULTS, `${options.logName}.log`),
    port: options.port,
  });
  const shown: string[] = [];
  const token = await guestTokenWhenCatalogHas(backend, [
    'user:default/guest',
    RELIABILITY_ENTITY,
  ]);

  async function api(method: string, path: string, body?: unknown) {
    const res = await fetch(`${backend.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    shown.push(text);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /**
   * Secrets in anything this backend wrote to its log or answered (task logs included):
   * for the leak check every suite on it ends with.
   */
  async function leaks() {
    return findSecrets([await backend.log(), ...shown].join('\n'), [token]);
  }

  /** The task's status, once it is one of `until` (default: an end); and its log. */
  async function taskState(
    id: string,
    until = ['completed', 'failed', 'cancelled'],
  ) {
    let task: any;
    for (let i = 0; i < 1200; i++) {
      task = (await api('GET', `/api/scaffolder/v2/tasks/${id}`)).body;
      if (until.includes(task.status)) break;
      await new Promise(r => setTimeout(r, 250));
    }
    const events = (await api('GET', `/api/scaffolder/v2/tasks/${id}/events`))
      .body;
    const log = events.map((e: any) => e.body?.message ?? '').join('\n');
    return { status: task.status as string, log };
  }

  /** Starts "Request AWS access" for {@link RELIABILITY_ENTITY}; the task id. */
  async function requestAccess(serviceAccount: string, roleName: string) {
    const created = await api('POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/request-aws-access',
      values: {
        entity: RELIABILITY_ENTITY,
        cluster: 'sandbox',
        namespace: RELIABILITY_NAMESPACE,
        serviceAccount,
        roleName,
        policyArns: [S3_READ],
      },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  return { backend, api, taskState, requestAccess, leaks };
}

/**
 * After a run that had to resume: the ServiceAccount was created exactly once (by the
 * backend, per the audit log entries `k8s`), the role has its policy and the ServiceAccount
 * names the role: nothing half-done.
 */
export async function expectBindingDoneOnce(
  k8s: K8sRequest[],
  roleName: string,
  serviceAccount: string,
) {
  // The ServiceAccount object itself; the template's verify step also creates a token
  // (subresource `token`), which writes nothing that stays.
  const saWrites = k8sWrites(k8s).filter(
    r =>
      r.user === BACKSTAGE_K8S_USER &&
      r.resource === 'serviceaccounts' &&
      !r.subresource &&
      r.namespace === RELIABILITY_NAMESPACE,
  );
  expect(saWrites.map(r => r.verb)).toEqual(['create']);
  expect(
    await attachedPolicyArns(sandboxEnv().clusterAccountId, roleName),
  ).toEqual([S3_READ]);
  const sa = await coreV1().readNamespacedServiceAccount({
    name: serviceAccount,
    namespace: RELIABILITY_NAMESPACE,
  });
  expect(sa.metadata?.annotations?.['eks.amazonaws.com/role-arn']).toMatch(
    new RegExp(`:role/irsa/${roleName}$`),
  );
}
