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

import { readFileSync } from 'node:fs';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  ClientKubernetesGateway,
  kubeConfigFor,
} from '@backstage-irsa/plugin-irsa-node';
import {
  AwsRequest,
  BACKSTAGE_K8S_USER,
  K8sRequest,
  anonymousSts,
  awsClientConfig,
  awsRequestKind,
  awsTokenUses,
  awsWrites,
  coreV1,
  describeSandbox,
  eksFor,
  freshNamespace,
  iamFor,
  k8sWrites,
  peerRequests,
  sandboxEnv,
  tokenRequests,
  uniqueName,
} from './index';

const aws = (action: string, more: Partial<AwsRequest> = {}): AwsRequest => ({
  time: '',
  service: 'iam',
  action,
  method: 'POST',
  path: '/',
  status: 200,
  account: null,
  accessKeyId: null,
  sourceAccessKeyId: null,
  ...more,
});

const k8s = (verb: string, more: Partial<K8sRequest> = {}): K8sRequest => ({
  time: '',
  auditId: '',
  user: 'u',
  verb,
  uri: '/',
  apiGroup: '',
  resource: 'serviceaccounts',
  ...more,
});

describe('request classification', () => {
  it('sorts AWS requests into reads, writes, sessions and token uses', () => {
    const kinds = [
      aws('GetRole'),
      aws('ListAttachedRolePolicies'),
      aws('CreateRole'),
      aws('TagRole'),
      aws('AddClientIDToOpenIDConnectProvider'),
      aws('GetCallerIdentity', { service: 'sts' }),
      aws('AssumeRole', { service: 'sts' }),
      aws('AssumeRoleWithWebIdentity', { service: 'sts' }),
      aws('GET /clusters/x', {
        service: 'eks',
        method: 'GET',
        path: '/clusters/x',
      }),
      aws('POST /clusters', {
        service: 'eks',
        method: 'POST',
        path: '/clusters',
      }),
    ].map(r => `${r.action}:${awsRequestKind(r)}`);
    expect(kinds).toEqual([
      'GetRole:read',
      'ListAttachedRolePolicies:read',
      'CreateRole:write',
      'TagRole:write',
      'AddClientIDToOpenIDConnectProvider:write',
      'GetCallerIdentity:read',
      'AssumeRole:session',
      'AssumeRoleWithWebIdentity:token-use',
      'GET /clusters/x:read',
      'POST /clusters:write',
    ]);
  });

  it('counts every write verb, TokenRequests among them, as a Kubernetes write', () => {
    const list = [
      k8s('get'),
      k8s('list'),
      k8s('watch'),
      k8s('create'),
      k8s('update'),
      k8s('patch'),
      k8s('delete'),
      k8s('deletecollection'),
      k8s('create', { subresource: 'token' }),
    ];
    expect(k8sWrites(list).map(r => r.verb + (r.subresource ?? ''))).toEqual([
      'create',
      'update',
      'patch',
      'delete',
      'deletecollection',
      'createtoken',
    ]);
    expect(tokenRequests(list)).toEqual([list[8]]);
  });
});

/** The raw log text written since an offset: what must never hold a secret. */
const rawSince = (file: string, offset: number) =>
  readFileSync(file).subarray(offset).toString('utf8');

describeSandbox('peer request logs (sandbox)', () => {
  jest.setTimeout(60_000);

  it('shows Kubernetes writes and TokenRequests, by whom, and reads as reads', async () => {
    const env = sandboxEnv();
    const namespace = await freshNamespace('peerlog');
    const admin = coreV1('admin');
    const gateway = new ClientKubernetesGateway(
      'sandbox',
      kubeConfigFor('sandbox', {
        url: env.k8sUrl,
        caData: env.k8sCaData,
        serviceAccountToken: env.k8sToken,
        dangerouslySkipTLSVerify: false,
        source: 'irsa',
      }),
    );

    const mark = await peerRequests.mark();
    await admin.createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name: 'app' } },
    });
    await gateway.getServiceAccount(namespace, 'app');
    await admin.listNamespacedServiceAccount({ namespace });
    const token = await gateway.requestToken(
      namespace,
      'app',
      'sts.amazonaws.com',
      600,
    );
    const { k8s: seen } = await peerRequests.since(mark);

    // Other workers share the apiserver: count only this test's namespace.
    const mine = seen.filter(r => r.namespace === namespace);
    expect(
      mine.map(r => [r.user, r.verb, r.resource, r.subresource ?? '', r.code]),
    ).toEqual([
      ['irsa-sandbox-admin', 'create', 'serviceaccounts', '', 201],
      [BACKSTAGE_K8S_USER, 'get', 'serviceaccounts', '', 200],
      ['irsa-sandbox-admin', 'list', 'serviceaccounts', '', 200],
      [BACKSTAGE_K8S_USER, 'create', 'serviceaccounts', 'token', 201],
    ]);
    expect(k8sWrites(mine).map(r => `${r.verb} ${r.uri}`)).toEqual([
      `create /api/v1/namespaces/${namespace}/serviceaccounts`,
      `create /api/v1/namespaces/${namespace}/serviceaccounts/app/token`,
    ]);
    expect(tokenRequests(mine).map(r => [r.user, r.name])).toEqual([
      [BACKSTAGE_K8S_USER, 'app'],
    ]);
    // The sentinels and the apiserver's own requests are left out.
    expect(seen.some(r => r.name?.startsWith('irsa-log-mark-'))).toBe(false);
    expect(seen.some(r => r.user === 'system:apiserver')).toBe(false);
    expect(rawSince(env.k8sAuditLog, mark.k8s)).not.toContain(token);
  });

  it('shows AWS writes, credential sessions and web-identity token uses, and reads as reads', async () => {
    const env = sandboxEnv();
    const roleName = uniqueName('peerlog');
    const roleArn = `arn:aws:iam::${env.targetAccountId}:role/${roleName}`;
    const namespace = await freshNamespace('peerlog-aws');
    await coreV1('admin').createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name: 'app' } },
    });
    const webToken = (
      await coreV1('admin').createNamespacedServiceAccountToken({
        namespace,
        name: 'app',
        body: {
          spec: { audiences: ['sts.amazonaws.com'], expirationSeconds: 600 },
        },
      })
    ).status!.token;

    // The sandbox's STS refuses what STS refuses (docs/sandbox.md, shim 3): the role needs the
    // issuer's provider in its account and a trust for this ServiceAccount. The provider is
    // shared with other suites, so it is ensured before the mark.
    const hostPath = env.oidcIssuer.replace(/^https:\/\//, '');
    const providerArn = `arn:aws:iam::${env.targetAccountId}:oidc-provider/${hostPath}`;
    try {
      await iamFor(env.targetAccountId).send(
        new CreateOpenIDConnectProviderCommand({
          Url: env.oidcIssuer,
          ClientIDList: ['sts.amazonaws.com'],
          ThumbprintList: ['0'.repeat(40)],
        }),
      );
    } catch (e) {
      if (!(e instanceof EntityAlreadyExistsException)) throw e;
    }

    const mark = await peerRequests.mark();
    const iam = iamFor(env.targetAccountId); // assumes the manager role on first use
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: providerArn },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  [`${hostPath}:sub`]: `system:serviceaccount:${namespace}:app`,
                },
              },
            },
          ],
        }),
      }),
    );
    await iam.send(new GetRoleCommand({ RoleName: roleName }));
    await eksFor(env.clusterAccountId).send(
      new DescribeClusterCommand({ name: env.eksClusterName }),
    );
    const assumed = await anonymousSts().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'peerlog',
        WebIdentityToken: webToken,
      }),
    );
    const { aws: seen } = await peerRequests.since(mark);

    const mine = seen.filter(
      r => r.roleName === roleName || r.roleArn === roleArn,
    );
    expect(
      mine.map(r => [r.service, r.action, r.account, awsRequestKind(r)]),
    ).toEqual([
      ['iam', 'CreateRole', env.targetAccountId, 'write'],
      ['iam', 'GetRole', env.targetAccountId, 'read'],
      ['sts', 'AssumeRoleWithWebIdentity', null, 'token-use'],
    ]);
    expect(awsWrites(mine).map(r => r.action)).toEqual(['CreateRole']);
    expect(awsTokenUses(mine).map(r => [r.roleArn, r.roleSessionName])).toEqual(
      [[roleArn, 'peerlog']],
    );

    // Shared with other workers, so looked for rather than counted.
    const managerArn = `arn:aws:iam::${env.targetAccountId}:role/${env.managerRoleName}`;
    const session = seen.find(
      r => r.action === 'AssumeRole' && r.roleArn === managerArn,
    );
    expect(session && awsRequestKind(session)).toBe('session');
    const described = seen.find(
      r => r.method === 'GET' && r.path === `/clusters/${env.eksClusterName}`,
    );
    expect(
      described && [
        described.service,
        described.account,
        awsRequestKind(described),
      ],
    ).toEqual(['eks', env.clusterAccountId, 'read']);

    const raw = rawSince(env.awsRequestLog, mark.aws);
    for (const secret of [
      webToken,
      env.awsSecretAccessKey,
      assumed.Credentials!.SecretAccessKey!,
      assumed.Credentials!.SessionToken!,
      'WebIdentityToken',
      'Signature=',
    ]) {
      expect(raw).not.toContain(secret);
    }
  });

  it('tells one caller from the others by the long-term key behind its temporary keys', async () => {
    const env = sandboxEnv();
    // A backend under test given a dummy key of its own (moto maps it to the default account).
    const key = `AKIAPEERLOG${Date.now().toString(36).toUpperCase()}`;
    const own = async () => ({ accessKeyId: key, secretAccessKey: 'x' });
    const roleName = uniqueName('peerlog-own');

    const mark = await peerRequests.mark();
    const assumed = await new STSClient(awsClientConfig(own)).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${env.targetAccountId}:role/${env.managerRoleName}`,
        RoleSessionName: 'backend-under-test',
      }),
    );
    const c = assumed.Credentials!;
    const temp = async () => ({
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken,
    });
    await new IAMClient(awsClientConfig(temp)).send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
      }),
    );
    await iamFor(env.targetAccountId).send(
      new GetRoleCommand({ RoleName: roleName }),
    );
    const { aws: seen } = await peerRequests.since(mark);

    const mine = seen.filter(r => r.sourceAccessKeyId === key);
    expect(mine.map(r => [r.action, r.accessKeyId, r.account])).toEqual([
      ['AssumeRole', key, env.backstageAccountId],
      ['CreateRole', c.AccessKeyId, env.targetAccountId],
    ]);
    expect(mine[0].issuedAccessKeyId).toBe(c.AccessKeyId);
    expect(awsWrites(mine).map(r => r.roleName)).toEqual([roleName]);
    // The GetRole went through the shared main key: someone else's request.
    expect(
      seen.find(r => r.action === 'GetRole' && r.roleName === roleName)
        ?.sourceAccessKeyId,
    ).toBe(env.awsAccessKeyId);
  });
});
