// The load fixture of the benchmark (issue #11): "2,000 bound ServiceAccounts across 5 configured
// clusters". bench/app-config.bench.yaml configures 5 clusters that all point at the sandbox's one
// kube-apiserver, so N real ServiceAccounts are seen as N x 5 bindings. Each ServiceAccount, its
// IAM role and its catalog entity are made exactly as the template's actions make them (read
// ServiceAccountService.ts, RoleService.ts, OidcProviderService.ts in plugins/irsa-node), so the
// status route does the same work it does for a real binding. Idempotent: a re-run writes only
// what is missing or different.
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import {
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { kube } from '../../scripts/smoke/sandboxClients.mjs';
import { managerClients, sandboxEnv } from './sandboxAws.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ENTITIES_FILE = `${REPO}/bench/.generated/entities.yaml`;

const NAMESPACES = 20;
const PARALLEL = 16;
// The cluster names bench/app-config.bench.yaml configures; the role's description names the first.
export const BENCH_CLUSTERS = [
  'bench-1',
  'bench-2',
  'bench-3',
  'bench-4',
  'bench-5',
];
// As in app-config.yaml's guardrails.
const ROLE_PREFIX = 'irsa-';
const ROLE_PATH = '/irsa/';
const POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const AUDIENCE = 'sts.amazonaws.com';
// Owned by team-payments, whose member is the demo's guest (examples/org.yaml).
const OWNER = 'team-payments';
const MANAGED_BY = 'backstage-irsa';
const ROLE_NAME_STEM = `${ROLE_PREFIX}bench-svc-`;

/** Names of fixture item `i`: its ServiceAccount, namespace, entity and role. */
export function benchTarget(i) {
  const n = String(i).padStart(3, '0');
  const entityName = `bench-svc-${n}`;
  return {
    namespace: `bench-load-${String(i % NAMESPACES).padStart(2, '0')}`,
    serviceAccount: `svc-${n}`,
    entityName,
    entityRef: `component:default/${entityName}`,
    roleName: `${ROLE_NAME_STEM}${n}`,
  };
}

/** The label the product adds so it can select one entity's ServiceAccounts (a ref cannot be a label value). */
export function entityHash(entityRef) {
  return createHash('sha256')
    .update(entityRef.toLocaleLowerCase('en-US'))
    .digest('hex')
    .slice(0, 40);
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects on the first failure. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return out;
}

async function kubeOk(method, path, body, okStatuses = []) {
  const res = await kube(method, path, body);
  if (res.status >= 300 && !okStatuses.includes(res.status)) {
    throw new Error(
      `${method} ${path}: ${res.status} ${res.body?.message ?? ''}`,
    );
  }
  return res;
}

// The issuer and provider ARN as the product computes them (issuerResolver.ts): the issuer EKS
// reports, scheme dropped, host lower-cased, trailing slashes removed.
export async function clusterProvider(eks, env) {
  const { cluster } = await eks.send(
    new DescribeClusterCommand({ name: env.IRSA_SANDBOX_EKS_CLUSTER_NAME }),
  );
  const raw = cluster.identity.oidc.issuer.trim().replace(/^https:\/\//i, '');
  const slash = raw.indexOf('/');
  const host = (slash < 0 ? raw : raw.slice(0, slash)).toLocaleLowerCase(
    'en-US',
  );
  const hostPath =
    host + (slash < 0 ? '' : raw.slice(slash)).replace(/\/+$/, '');
  return {
    issuerUrl: `https://${hostPath}`,
    hostPath,
    providerArn: `arn:aws:iam::${env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID}:oidc-provider/${hostPath}`,
  };
}

// What aws:oidc:ensure does: the sandbox seeds no provider (docs/sandbox.md), and the takeover
// suite deletes it, so the fixture makes sure it is there, made as the product makes it.
async function ensureProvider(iam, provider) {
  try {
    const got = await iam.send(
      new GetOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: provider.providerArn,
      }),
    );
    if (!(got.ClientIDList ?? []).includes(AUDIENCE)) {
      throw new Error(
        `${provider.providerArn} exists without audience ${AUDIENCE}`,
      );
    }
    return false;
  } catch (e) {
    if (e.name !== 'NoSuchEntityException' && e.name !== 'NoSuchEntity')
      throw e;
  }
  await iam.send(
    new CreateOpenIDConnectProviderCommand({
      Url: provider.issuerUrl,
      ClientIDList: [AUDIENCE],
      Tags: [
        { Key: 'backstage-irsa:managed-by', Value: MANAGED_BY },
        { Key: 'backstage-irsa:cluster', Value: 'sandbox' },
      ],
    }),
  );
  return true;
}

// buildTrustStatement + canonicalPolicyJson of irsa-common, for one exact subject.
function trustPolicyJson(hostPath, providerArn, t) {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${hostPath}:aud`]: AUDIENCE,
              [`${hostPath}:sub`]: `system:serviceaccount:${t.namespace}:${t.serviceAccount}`,
            },
          },
        },
      ],
    },
    null,
    2,
  );
}

async function listBenchRoles(iam) {
  const roles = new Map();
  let Marker;
  do {
    const page = await iam.send(
      new ListRolesCommand({ PathPrefix: ROLE_PATH, Marker }),
    );
    for (const r of page.Roles ?? []) {
      if (r.RoleName.startsWith(ROLE_NAME_STEM)) roles.set(r.RoleName, r);
    }
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return roles;
}

// What aws:irsa:create-role does for a new role; an existing one gets its trust and policy back.
async function ensureRole(iam, provider, existing, t, counts) {
  const trust = trustPolicyJson(provider.hostPath, provider.providerArn, t);
  const current = existing.get(t.roleName);
  if (!current) {
    await iam.send(
      new CreateRoleCommand({
        RoleName: t.roleName,
        Path: ROLE_PATH,
        AssumeRolePolicyDocument: trust,
        Description: `IRSA role for ${t.namespace}/${t.serviceAccount} on cluster ${BENCH_CLUSTERS[0]} (backstage-irsa)`,
        Tags: [
          { Key: 'backstage-irsa:managed-by', Value: MANAGED_BY },
          { Key: 'backstage-irsa:entity-ref', Value: t.entityRef },
        ],
        MaxSessionDuration: 3600,
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: t.roleName,
        PolicyArn: POLICY_ARN,
      }),
    );
    counts.rolesCreated++;
    return;
  }
  const doc = JSON.parse(
    decodeURIComponent(current.AssumeRolePolicyDocument ?? '{}'),
  );
  if (JSON.stringify(doc, null, 2) !== trust) {
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: t.roleName,
        PolicyDocument: trust,
      }),
    );
    counts.rolesUpdated++;
  }
  const { AttachedPolicies = [] } = await iam.send(
    new ListAttachedRolePoliciesCommand({ RoleName: t.roleName }),
  );
  if (!AttachedPolicies.some(p => p.PolicyArn === POLICY_ARN)) {
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: t.roleName,
        PolicyArn: POLICY_ARN,
      }),
    );
    counts.rolesUpdated++;
  }
}

// What k8s:create-sa writes, plus the entity-hash label the product is adding.
function serviceAccountMetadata(t, roleArn) {
  return {
    labels: {
      'app.kubernetes.io/managed-by': MANAGED_BY,
      'backstage.io/kubernetes-id': t.entityName,
      'irsa.backstage.io/entity-hash': entityHash(t.entityRef),
    },
    annotations: {
      'eks.amazonaws.com/role-arn': roleArn,
      'irsa.backstage.io/entity-ref': t.entityRef,
    },
  };
}

async function ensureServiceAccount(t, roleArn, counts) {
  const want = serviceAccountMetadata(t, roleArn);
  const path = `/api/v1/namespaces/${t.namespace}/serviceaccounts`;
  const created = await kubeOk(
    'POST',
    path,
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: t.serviceAccount, ...want },
    },
    [409],
  );
  if (created.status !== 409) {
    counts.serviceAccountsCreated++;
    return;
  }
  const { body: sa } = await kubeOk('GET', `${path}/${t.serviceAccount}`);
  const same = (a = {}, b) => Object.entries(b).every(([k, v]) => a[k] === v);
  if (
    same(sa.metadata.labels, want.labels) &&
    same(sa.metadata.annotations, want.annotations)
  ) {
    return;
  }
  // PUT with the read resourceVersion: a concurrent change fails instead of being overwritten.
  sa.metadata.labels = { ...sa.metadata.labels, ...want.labels };
  sa.metadata.annotations = { ...sa.metadata.annotations, ...want.annotations };
  await kubeOk('PUT', `${path}/${t.serviceAccount}`, sa);
  counts.serviceAccountsUpdated++;
}

// Catalog entities as a team would write them after the template: the namespace annotation the
// ownership rules read (namespaceOwnershipRefusal), and the ServiceAccounts annotation the
// template prints, without a cluster so it names the ServiceAccount on every configured cluster.
function entitiesYaml(targets) {
  const docs = targets.map(
    t => `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${t.entityName}
  description: Benchmark load fixture (bench/lib/seed.mjs).
  annotations:
    backstage.io/kubernetes-id: ${t.entityName}
    backstage.io/kubernetes-namespace: ${t.namespace}
    irsa.backstage.io/service-accounts: ${t.namespace}/${t.serviceAccount}
spec:
  type: service
  lifecycle: experimental
  owner: ${OWNER}
`,
  );
  return `# Generated by bench/lib/seed.mjs; do not edit. Loaded by bench/app-config.bench.yaml.\n${docs.join(
    '',
  )}`;
}

/**
 * Seeds `serviceAccounts` ServiceAccounts (in 20 namespaces), one role each in the cluster
 * account, the cluster's IAM OIDC provider when missing, and the catalog file. Returns the
 * entity refs, namespaces and role names, and how many bindings the 5 clusters make of them.
 */
export async function seedLoad({
  serviceAccounts = 400,
  clusters = BENCH_CLUSTERS.length,
} = {}) {
  const env = sandboxEnv();
  const started = Date.now();
  const targets = Array.from({ length: serviceAccounts }, (_, i) =>
    benchTarget(i),
  );
  const namespaces = [...new Set(targets.map(t => t.namespace))];
  const counts = {
    providerCreated: false,
    namespacesCreated: 0,
    rolesCreated: 0,
    rolesUpdated: 0,
    serviceAccountsCreated: 0,
    serviceAccountsUpdated: 0,
  };

  const { iam, eks } = await managerClients(
    env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID,
    env,
  );
  const provider = await clusterProvider(eks, env);
  counts.providerCreated = await ensureProvider(iam, provider);

  await mapLimit(namespaces, PARALLEL, async name => {
    const res = await kubeOk(
      'POST',
      '/api/v1/namespaces',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      [409],
    );
    if (res.status !== 409) counts.namespacesCreated++;
  });

  const existing = await listBenchRoles(iam);
  const account = env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID;
  await mapLimit(targets, PARALLEL, async t => {
    await ensureRole(iam, provider, existing, t, counts);
    // The ARN the product annotates: formatRoleArn with the guardrails' path.
    await ensureServiceAccount(
      t,
      `arn:aws:iam::${account}:role${ROLE_PATH}${t.roleName}`,
      counts,
    );
  });

  await mkdir(dirname(ENTITIES_FILE), { recursive: true });
  await writeFile(ENTITIES_FILE, entitiesYaml(targets));

  return {
    entityRefs: targets.map(t => t.entityRef),
    namespaces,
    roleNames: targets.map(t => t.roleName),
    targets,
    clusters: BENCH_CLUSTERS.slice(0, clusters),
    bindings: targets.length * clusters,
    providerArn: provider.providerArn,
    entitiesFile: ENTITIES_FILE,
    counts,
    ms: Date.now() - started,
  };
}

/**
 * Removes the fixture's ServiceAccounts, roles and catalog file. Namespaces stay: without a
 * controller-manager a deleted namespace is Terminating forever and a later seed could not use
 * it (docs/sandbox.md). The OIDC provider stays too: it is the cluster's, not the fixture's.
 */
export async function unseedLoad() {
  const env = sandboxEnv();
  const { iam } = await managerClients(
    env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID,
    env,
  );
  let serviceAccounts = 0;
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `bench-load-${String(n).padStart(2, '0')}`;
    const list = await kubeOk(
      'GET',
      `/api/v1/namespaces/${ns}/serviceaccounts?labelSelector=app.kubernetes.io/managed-by%3D${MANAGED_BY}`,
      undefined,
      [404],
    );
    const names = (list.body?.items ?? [])
      .map(sa => sa.metadata.name)
      .filter(name => /^svc-\d+$/.test(name));
    await mapLimit(names, PARALLEL, async name => {
      await kubeOk(
        'DELETE',
        `/api/v1/namespaces/${ns}/serviceaccounts/${name}`,
        undefined,
        [404],
      );
      serviceAccounts++;
    });
  }
  const roles = [...(await listBenchRoles(iam)).keys()];
  await mapLimit(roles, PARALLEL, async RoleName => {
    const { AttachedPolicies = [] } = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName }),
    );
    for (const p of AttachedPolicies) {
      await iam.send(
        new DetachRolePolicyCommand({ RoleName, PolicyArn: p.PolicyArn }),
      );
    }
    await iam.send(new DeleteRoleCommand({ RoleName }));
  });
  await rm(ENTITIES_FILE, { force: true });
  return { serviceAccounts, roles: roles.length };
}
