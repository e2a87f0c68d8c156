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

// docs/rbac/backstage-irsa-rbac.yaml against the real kube-apiserver: the product's own client
// (ClientKubernetesGateway over kubeConfigFor), with the token of the ServiceAccount that file
// binds, can do each call the product makes and nothing it does not. The sandbox applies that
// very file at `up`, and IRSA_SANDBOX_K8S_TOKEN is that ServiceAccount's token.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  loadAllYaml,
} from '@kubernetes/client-node';
import {
  ClientKubernetesGateway,
  kubeConfigFor,
  kubernetesStatus,
} from '@backstage-irsa/plugin-irsa-node';
import { decodeJwt } from 'jose';
import {
  coreV1,
  describeSandbox,
  freshNamespace,
  kubeConfig,
  sandboxEnv,
  uniqueName,
} from './index';

const RBAC_FILE = path.resolve(
  __dirname,
  '../../../docs/rbac/backstage-irsa-rbac.yaml',
);

// Exactly the calls of plugins/irsa-node/src/kubernetes/KubernetesGateway.ts. Widen the file
// and this test fails: add a rule here only together with the gateway method that needs it.
const EXPECTED_RULES = [
  {
    apiGroups: [''],
    resources: ['serviceaccounts'],
    verbs: ['get', 'list', 'create', 'patch', 'delete'],
  },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
];

const ROLE_ARN = 'arn:aws:iam::111111111111:role/irsa/rbac-test';

/** The backend's KubeConfig, built by the product from its cluster config. */
function productKubeConfig(token = sandboxEnv().k8sToken): KubeConfig {
  const env = sandboxEnv();
  return kubeConfigFor('sandbox', {
    url: env.k8sUrl,
    caData: env.k8sCaData,
    serviceAccountToken: token,
    dangerouslySkipTLSVerify: false,
    source: 'irsa',
  });
}

/** The HTTP status a call ends with: 'ok', or the Kubernetes API's error code. */
async function outcome(call: Promise<unknown>): Promise<number | string> {
  try {
    await call;
    return 'ok';
  } catch (e) {
    return kubernetesStatus(e) ?? String(e);
  }
}

function sortRules(
  rules: Array<{ apiGroups?: string[]; resources?: string[] }>,
) {
  const key = (r: { apiGroups?: string[]; resources?: string[] }) =>
    `${r.apiGroups?.join()}/${r.resources?.join()}`;
  return [...rules].sort((a, b) => key(a).localeCompare(key(b)));
}

describe('docs/rbac/backstage-irsa-rbac.yaml', () => {
  const docs = loadAllYaml(readFileSync(RBAC_FILE, 'utf8')).filter(Boolean);

  it('holds the namespace, ServiceAccount, ClusterRole and binding, nothing else', () => {
    expect(docs.map(d => `${d.kind}/${d.metadata?.name}`)).toEqual([
      'Namespace/backstage-irsa-system',
      'ServiceAccount/backstage-irsa',
      'ClusterRole/backstage-irsa',
      'ClusterRoleBinding/backstage-irsa',
    ]);
    const binding = docs.find(d => d.kind === 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'backstage-irsa',
    });
    expect(binding.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'backstage-irsa',
        namespace: 'backstage-irsa-system',
      },
    ]);
  });

  it('grants exactly the calls the product makes', () => {
    const role = docs.find(d => d.kind === 'ClusterRole');
    expect(role.aggregationRule).toBeUndefined();
    expect(role.rules).toEqual(EXPECTED_RULES);
  });
});

describeSandbox(
  'backstage-irsa RBAC against the kube-apiserver (sandbox)',
  () => {
    jest.setTimeout(60_000);

    it('is what the sandbox applied, and all the backend token may do', async () => {
      const live = await kubeConfig('admin')
        .makeApiClient(RbacAuthorizationV1Api)
        .readClusterRole({ name: 'backstage-irsa' });
      expect(live.rules).toEqual(EXPECTED_RULES);

      // What the token may do in a namespace, from every binding there is, as the apiserver sees
      // it, less what any ServiceAccount may do (the bootstrap roles of system:authenticated and
      // system:serviceaccounts: self-reviews, discovery, ClusterTrustBundles...).
      const namespace = await freshNamespace('rbac-rules');
      const rulesOf = async (token: string) => {
        const review = await productKubeConfig(token)
          .makeApiClient(AuthorizationV1Api)
          .createSelfSubjectRulesReview({ body: { spec: { namespace } } });
        return review.status!.resourceRules.map(r => JSON.stringify(r));
      };
      await coreV1('admin').createNamespacedServiceAccount({
        namespace,
        body: { metadata: { name: 'nobody' } },
      });
      const nobody = await coreV1('admin').createNamespacedServiceAccountToken({
        namespace,
        name: 'nobody',
        body: { spec: { audiences: [], expirationSeconds: 600 } }, // the apiserver's own audience
      });
      const baseline = new Set(await rulesOf(nobody.status!.token));
      const granted = (await rulesOf(sandboxEnv().k8sToken))
        .filter(r => !baseline.has(r))
        .map(r => JSON.parse(r));
      expect(sortRules(granted)).toEqual(sortRules(EXPECTED_RULES));
    });

    it('lets the product client make each call it needs', async () => {
      const env = sandboxEnv();
      const gateway = new ClientKubernetesGateway(
        'sandbox',
        productKubeConfig(),
      );
      const namespace = await freshNamespace('rbac-ok');
      const name = 'app';
      const kubernetesId = uniqueName('rbac-id');

      expect(await gateway.namespaceExists(namespace)).toBe(true);
      expect(await gateway.namespaceExists(uniqueName('absent'))).toBe(false);
      expect(await gateway.listNamespaces()).toEqual(
        expect.arrayContaining([namespace, 'default', 'kube-system']),
      );

      expect(await gateway.getServiceAccount(namespace, name)).toBeUndefined();
      await gateway.createServiceAccount({
        namespace,
        name,
        labels: { 'backstage.io/kubernetes-id': kubernetesId },
        annotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN },
      });
      const created = await gateway.getServiceAccount(namespace, name);
      expect(created).toEqual({
        namespace,
        name,
        labels: { 'backstage.io/kubernetes-id': kubernetesId },
        annotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN },
        uid: expect.any(String),
        resourceVersion: expect.any(String),
      });

      await gateway.patchServiceAccountMetadata(namespace, name, {
        annotations: { 'eks.amazonaws.com/role-arn': `${ROLE_ARN}-v2` },
      });
      const patched = await coreV1('admin').readNamespacedServiceAccount({
        namespace,
        name,
      });
      expect(patched.metadata?.annotations).toEqual({
        'eks.amazonaws.com/role-arn': `${ROLE_ARN}-v2`,
      });

      // Server-side apply (adoption, k8s:create-sa adoptExisting): the same `patch` verb.
      await gateway.applyServiceAccountMetadata({
        namespace,
        name,
        uid: patched.metadata!.uid!,
        resourceVersion: patched.metadata!.resourceVersion!,
        fieldManager: 'backstage-irsa',
        labels: {},
        annotations: { 'irsa.backstage.io/adopted-by': 'component:default/x' },
      });
      const applied = await coreV1('admin').readNamespacedServiceAccount({
        namespace,
        name,
      });
      expect(applied.metadata?.annotations).toEqual({
        'eks.amazonaws.com/role-arn': `${ROLE_ARN}-v2`,
        'irsa.backstage.io/adopted-by': 'component:default/x',
      });

      // The same apply with none of those fields takes them back (aws:irsa:delete-role
      // releasing an adopted ServiceAccount): still only `patch`.
      await gateway.applyServiceAccountMetadata({
        namespace,
        name,
        uid: applied.metadata!.uid!,
        resourceVersion: applied.metadata!.resourceVersion!,
        fieldManager: 'backstage-irsa',
        labels: {},
        annotations: {},
      });
      const released = await coreV1('admin').readNamespacedServiceAccount({
        namespace,
        name,
      });
      expect(released.metadata?.annotations).toEqual({
        'eks.amazonaws.com/role-arn': `${ROLE_ARN}-v2`,
      });

      // Across all namespaces, by label: the entity card's lookup.
      const listed = await gateway.listServiceAccountsByLabels({
        'backstage.io/kubernetes-id': kubernetesId,
      });
      expect(listed.map(sa => `${sa.namespace}/${sa.name}`)).toEqual([
        `${namespace}/${name}`,
      ]);

      const token = await gateway.requestToken(
        namespace,
        name,
        'sts.amazonaws.com',
        600,
      );
      const claims = decodeJwt(token);
      expect(claims.sub).toBe(`system:serviceaccount:${namespace}:${name}`);
      expect(claims.aud).toEqual(['sts.amazonaws.com']);
      expect(claims.iss).toBe(env.oidcIssuer);

      await coreV1('admin').createNamespacedPod({
        namespace,
        body: {
          metadata: { name: 'worker' },
          spec: {
            serviceAccountName: name,
            containers: [
              {
                name: 'main',
                image: 'example.invalid/app:1',
                env: [{ name: 'AWS_ROLE_ARN', value: ROLE_ARN }],
              },
            ],
          },
        },
      });
      expect(await gateway.listPodsOf(namespace, name)).toEqual([
        {
          name: 'worker',
          serviceAccountName: name,
          annotations: {},
          containers: [
            { name: 'main', envNames: ['AWS_ROLE_ARN'], roleArn: ROLE_ARN },
          ],
        },
      ]);

      // delete (aws:irsa:delete-role), only of the object in the state read: a stale
      // resourceVersion is refused by the apiserver (409), the current one deletes it, and
      // deleting it again is no error.
      const current = await gateway.getServiceAccount(namespace, name);
      await expect(
        gateway.deleteServiceAccount({
          namespace,
          name,
          uid: current!.uid!,
          resourceVersion: applied.metadata!.resourceVersion!,
        }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      const target = {
        namespace,
        name,
        uid: current!.uid!,
        resourceVersion: current!.resourceVersion!,
      };
      await gateway.deleteServiceAccount(target);
      expect(await gateway.getServiceAccount(namespace, name)).toBeUndefined();
      await gateway.deleteServiceAccount(target);
    });

    it('forbids (403) what the product does not do', async () => {
      const kc = productKubeConfig();
      const core = kc.makeApiClient(CoreV1Api);
      const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
      const admin = coreV1('admin');
      const namespace = await freshNamespace('rbac-deny');
      const name = 'existing';
      await admin.createNamespacedServiceAccount({
        namespace,
        body: { metadata: { name } },
      });
      await admin.createNamespacedSecret({
        namespace,
        body: { metadata: { name: 'creds' }, stringData: { key: 'value' } },
      });
      const sa = await admin.readNamespacedServiceAccount({ namespace, name });

      const attempts: Record<string, () => Promise<unknown>> = {
        'get a Secret': () =>
          core.readNamespacedSecret({ namespace, name: 'creds' }),
        'list Secrets': () => core.listNamespacedSecret({ namespace }),
        'create a namespace': () =>
          core.createNamespace({
            body: { metadata: { name: uniqueName('rbac-new') } },
          }),
        'delete a Secret': () =>
          core.deleteNamespacedSecret({ namespace, name: 'creds' }),
        'delete the namespace': () => core.deleteNamespace({ name: namespace }),
        'update (PUT) a ServiceAccount': () =>
          core.replaceNamespacedServiceAccount({
            namespace,
            name,
            body: {
              ...sa,
              metadata: { ...sa.metadata, annotations: { changed: 'yes' } },
            },
          }),
        'watch ServiceAccounts': () =>
          core.listNamespacedServiceAccount({
            namespace,
            watch: true,
            timeoutSeconds: 1,
          }),
        'create a pod': () =>
          core.createNamespacedPod({
            namespace,
            body: {
              metadata: { name: 'p' },
              spec: {
                containers: [{ name: 'c', image: 'example.invalid/x:1' }],
              },
            },
          }),
        'create a RoleBinding': () =>
          rbac.createNamespacedRoleBinding({
            namespace,
            body: {
              metadata: { name: 'escalate' },
              roleRef: {
                apiGroup: 'rbac.authorization.k8s.io',
                kind: 'ClusterRole',
                name: 'admin',
              },
              subjects: [
                {
                  kind: 'ServiceAccount',
                  name: 'backstage-irsa',
                  namespace: 'backstage-irsa-system',
                },
              ],
            },
          }),
      };
      const outcomes: Record<string, number | string> = {};
      for (const [what, call] of Object.entries(attempts)) {
        outcomes[what] = await outcome(call());
      }
      expect(outcomes).toEqual(
        Object.fromEntries(Object.keys(attempts).map(what => [what, 403])),
      );

      // Refused means unchanged.
      const after = await admin.readNamespacedServiceAccount({
        namespace,
        name,
      });
      expect(after.metadata?.annotations).toBeUndefined();
    });
  },
);
