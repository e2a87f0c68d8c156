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

// `authProvider: aws` end to end: the backend's KubernetesGateway, configured through
// `kubernetes.clusterLocatorMethods` exactly as the Kubernetes plugin reads it, presents EKS
// tokens to a real kube-apiserver whose token webhook is the real aws-iam-authenticator
// v0.7.18, which checks each token with STS — here a fakecloud of the test's own with
// --verify-sigv4 (signature and expiry checked), reached through sts_forwarder.py
// (docs/sandbox.md, "EKS authentication"). The backend's identity is an IAM user of that
// fakecloud assuming `kubernetes.io/aws-assume-role` with `kubernetes.io/aws-external-id`;
// the authenticator maps that role to a user bound to docs/rbac's ClusterRole.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ConfigReader } from '@backstage/config';
import {
  ClientKubernetesGateway,
  ClusterRegistry,
  EKS_TOKEN_PREFIX,
  EksTokenProvider,
  kubeConfigFor,
  kubernetesGatewayFor,
  presignEksToken,
} from '@backstage-irsa/plugin-irsa-node';
import {
  describeEksAuth,
  describeSandbox,
  type EksAuthPeer,
  type Fakecloud,
  fakecloudClientConfig,
  fakecloudRootKeys,
  sandboxEnv,
  startEksAuth,
  startFakecloud,
  uniqueName,
} from './index';

const ROOT = path.resolve(__dirname, '../../..');
const ACCOUNT = '111111111111'; // the sandbox's cluster account, here fakecloud's only one
const REGION = 'us-east-1';
const EXTERNAL_ID = 'backstage-irsa-eks-external-id';
const LABEL = 'backstage-irsa.sandbox/eks-auth';

// AWS answers GetCallerIdentity whatever the policies say; fakecloud --iam strict wants an
// Allow for it like for any action, so the identities here get one.
const GET_CALLER_IDENTITY = {
  Effect: 'Allow',
  Action: 'sts:GetCallerIdentity',
  Resource: '*',
};

type Keys = { accessKeyId: string; secretAccessKey: string };
type Credentials = Keys & { sessionToken?: string };

function trustPolicy(userArn: string, externalId?: string) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: userArn },
        Action: 'sts:AssumeRole',
        ...(externalId
          ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } }
          : {}),
      },
    ],
  });
}

/** The parts of an EKS token that are secret: the token, its signature, its session token. */
function secretPartsOf(token: string): string[] {
  let url: URL;
  try {
    url = new URL(
      Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString(),
    );
  } catch {
    return [token]; // not an EKS token at all
  }
  return [
    token,
    url.searchParams.get('X-Amz-Signature') ?? '',
    url.searchParams.get('X-Amz-Security-Token') ?? '',
  ].filter(s => s.length >= 16);
}

function lines(file: string): any[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(l => l.trim().startsWith('{'))
    .map(l => JSON.parse(l));
}

describeSandbox(
  'authProvider aws (EKS tokens) against aws-iam-authenticator',
  () => {
    describeEksAuth(
      'a kube-apiserver authenticating with aws-iam-authenticator',
      () => {
        let fc: Fakecloud;
        let peer: EksAuthPeer;
        let backendKeys: Keys;
        let userArn: string;
        const savedStsEndpoint = process.env.AWS_ENDPOINT_URL_STS;
        // Every token handed out or made here, and every error text seen, for the leak check.
        const tokens = new Set<string>();
        const errors: string[] = [];

        /** The app config of a platform team using the Kubernetes plugin's cluster entry. */
        function appConfig(externalId = EXTERNAL_ID) {
          return new ConfigReader({
            aws: { mainAccount: backendKeys },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'eks-sandbox',
                      url: peer.url,
                      caData: readFileSync(peer.caFile).toString('base64'),
                      authProvider: 'aws',
                      authMetadata: {
                        'kubernetes.io/aws-assume-role': peer.roleArn,
                        'kubernetes.io/aws-external-id': externalId,
                      },
                    },
                  ],
                },
              ],
            },
            irsa: {
              clusters: [
                {
                  name: 'eks-sandbox',
                  accountId: ACCOUNT,
                  region: peer.region,
                  eksClusterName: peer.clusterId,
                  kubernetes: { clusterRef: 'eks-sandbox' },
                },
              ],
            },
          });
        }

        /** The gateway the product builds for that config (irsaServiceRef does the same). */
        function productGateway(externalId?: string) {
          const config = appConfig(externalId);
          const cluster = ClusterRegistry.fromConfig(config).get('eks-sandbox');
          const eksTokens = EksTokenProvider.fromConfig(config);
          const mint = eksTokens.token.bind(eksTokens);
          eksTokens.token = async auth => {
            const token = await mint(auth);
            tokens.add(token);
            return token;
          };
          return kubernetesGatewayFor('eks-sandbox', cluster.kubernetes, {
            timeoutMs: 15_000,
            maxSockets: 2,
            eksTokens,
          });
        }

        /** A gateway to the same apiserver that presents `token`, whatever it is. */
        function gatewayWith(token: string) {
          tokens.add(token);
          return new ClientKubernetesGateway(
            'eks-sandbox',
            kubeConfigFor('eks-sandbox', {
              url: peer.url,
              caFile: peer.caFile,
              dangerouslySkipTLSVerify: false,
              source: 'test',
            }),
            15_000,
            1,
            async () => token,
          );
        }

        function admin(): CoreV1Api {
          const kc = new KubeConfig();
          kc.loadFromOptions({
            clusters: [{ name: 'eks', server: peer.url, caFile: peer.caFile }],
            users: [{ name: 'admin', token: sandboxEnv().k8sAdminToken }],
            contexts: [{ name: 'eks', cluster: 'eks', user: 'admin' }],
            currentContext: 'eks',
          });
          return kc.makeApiClient(CoreV1Api);
        }

        async function assumed(roleName: string, externalId?: string) {
          const sts = new STSClient(
            fakecloudClientConfig(fc, backendKeys, REGION),
          );
          const c = (
            await sts.send(
              new AssumeRoleCommand({
                RoleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
                RoleSessionName: 'eks-auth-test',
                ExternalId: externalId,
              }),
            )
          ).Credentials!;
          return {
            accessKeyId: c.AccessKeyId!,
            secretAccessKey: c.SecretAccessKey!,
            sessionToken: c.SessionToken!,
          };
        }

        async function tokenOf(
          credentials: Credentials,
          options: { clusterId?: string; signingDate?: Date } = {},
        ) {
          const { token } = await presignEksToken({
            credentials,
            region: REGION,
            clusterId: options.clusterId ?? peer.clusterId,
            signingDate: options.signingDate,
          });
          return token;
        }

        beforeAll(async () => {
          fc = await startFakecloud({ accountId: ACCOUNT, region: REGION });
          const iam = new IAMClient(
            fakecloudClientConfig(fc, fakecloudRootKeys()),
          );
          // The backend's own identity (its aws.mainAccount keys), allowed to assume the roles.
          const user = await iam.send(
            new CreateUserCommand({ UserName: 'backstage-backend' }),
          );
          userArn = user.User!.Arn!;
          const key = (
            await iam.send(
              new CreateAccessKeyCommand({ UserName: 'backstage-backend' }),
            )
          ).AccessKey!;
          backendKeys = {
            accessKeyId: key.AccessKeyId!,
            secretAccessKey: key.SecretAccessKey!,
          };
          await iam.send(
            new PutUserPolicyCommand({
              UserName: 'backstage-backend',
              PolicyName: 'assume-eks-access-roles',
              PolicyDocument: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'sts:AssumeRole',
                    Resource: `arn:aws:iam::${ACCOUNT}:role/backstage-irsa-*`,
                  },
                  GET_CALLER_IDENTITY,
                ],
              }),
            }),
          );
          // The role the authenticator maps (eks-auth.sh), trusting the backend with an external
          // id; and one the cluster does not map.
          await iam.send(
            new CreateRoleCommand({
              RoleName: 'backstage-irsa-eks',
              AssumeRolePolicyDocument: trustPolicy(userArn, EXTERNAL_ID),
            }),
          );
          await iam.send(
            new CreateRoleCommand({
              RoleName: 'backstage-irsa-unmapped',
              AssumeRolePolicyDocument: trustPolicy(userArn),
            }),
          );
          for (const RoleName of [
            'backstage-irsa-eks',
            'backstage-irsa-unmapped',
          ]) {
            await iam.send(
              new PutRolePolicyCommand({
                RoleName,
                PolicyName: 'get-caller-identity',
                PolicyDocument: JSON.stringify({
                  Version: '2012-10-17',
                  Statement: [GET_CALLER_IDENTITY],
                }),
              }),
            );
          }
          peer = await startEksAuth({ root: ROOT, stsUpstream: fc.endpoint });
          if (
            peer.roleArn !== `arn:aws:iam::${ACCOUNT}:role/backstage-irsa-eks`
          ) {
            throw new Error(
              `eks-auth.sh maps ${peer.roleArn}, not the role made here`,
            );
          }
          // The backend's STS calls (AssumeRole, and integration-aws-node's GetCallerIdentity)
          // go to this fakecloud; everything else of the sandbox stays on moto.
          process.env.AWS_ENDPOINT_URL_STS = fc.endpoint;
        }, 240_000);

        afterAll(async () => {
          if (savedStsEndpoint === undefined)
            delete process.env.AWS_ENDPOINT_URL_STS;
          else process.env.AWS_ENDPOINT_URL_STS = savedStsEndpoint;
          await peer?.stop();
          await fc?.stop();
        }, 60_000);

        it('lists and reads ServiceAccounts as the IAM role the cluster maps, with the ClusterRole of docs/rbac', async () => {
          const ns = uniqueName('eks-auth');
          await admin().createNamespace({ body: { metadata: { name: ns } } });
          await admin().createNamespacedServiceAccount({
            namespace: ns,
            body: { metadata: { name: 'app', labels: { [LABEL]: ns } } },
          });

          const gateway = productGateway();
          expect(await gateway.namespaceExists(ns)).toBe(true);
          expect(
            (await gateway.listServiceAccountsByLabels({ [LABEL]: ns })).map(
              sa => `${sa.namespace}/${sa.name}`,
            ),
          ).toEqual([`${ns}/app`]);
          expect(await gateway.getServiceAccount(ns, 'app')).toMatchObject({
            namespace: ns,
            name: 'app',
            labels: { [LABEL]: ns },
          });

          // The apiserver's own record: the requests were the mapped user's, authenticated by
          // the webhook as the assumed role (the authenticator's extra fields).
          const mine = lines(peer.auditLog).filter(
            e =>
              e.objectRef?.namespace === ns ||
              (e.objectRef?.resource === 'namespaces' &&
                e.objectRef?.name === ns),
          );
          const byBackend = mine.filter(
            e => e.user?.username === peer.username,
          );
          expect(
            byBackend
              .map(
                e =>
                  `${e.verb} ${e.objectRef.resource} ${e.responseStatus.code}`,
              )
              .sort(),
          ).toEqual(['get namespaces 200', 'get serviceaccounts 200']);
          expect(byBackend[0].user.extra.canonicalArn).toEqual([peer.roleArn]);
          expect(byBackend[0].user.extra.arn[0]).toMatch(
            new RegExp(
              `^arn:aws:sts::${ACCOUNT}:assumed-role/backstage-irsa-eks/`,
            ),
          );
          expect(
            lines(peer.auditLog).some(
              e =>
                e.user?.username === peer.username &&
                e.verb === 'list' &&
                e.objectRef?.resource === 'serviceaccounts' &&
                e.responseStatus?.code === 200,
            ),
          ).toBe(true);
          // And STS answered the authenticator for that role, for this cluster id.
          const sts = lines(
            path.join(peer.logsDir, 'eks-sts-forwarder.log'),
          ).filter(l => l.event === 'request');
          expect(sts).toContainEqual(
            expect.objectContaining({
              action: 'GetCallerIdentity',
              status: 200,
              clusterId: peer.clusterId,
              arn: expect.stringMatching(/:assumed-role\/backstage-irsa-eks\//),
            }),
          );
        });

        it('is refused (401) with a token for another cluster, a tampered, expired or unknown one, or an unmapped role', async () => {
          const role = await assumed('backstage-irsa-eks', EXTERNAL_ID);
          const good = await tokenOf(role);
          const tampered = (() => {
            const url = new URL(
              Buffer.from(
                good.slice(EKS_TOKEN_PREFIX.length),
                'base64url',
              ).toString(),
            );
            const sig = url.searchParams.get('X-Amz-Signature')!;
            url.searchParams.set(
              'X-Amz-Signature',
              `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`,
            );
            return (
              EKS_TOKEN_PREFIX +
              Buffer.from(url.toString()).toString('base64url')
            );
          })();
          const refused: Record<string, string> = {
            // Signed for another x-k8s-aws-id: the authenticator sends its own, STS's signature
            // check fails.
            'another cluster': await tokenOf(role, {
              clusterId: 'another-cluster',
            }),
            tampered,
            // X-Amz-Date 16 minutes ago: past the authenticator's own 15-minute limit.
            expired: await tokenOf(role, {
              signingDate: new Date(Date.now() - 16 * 60_000),
            }),
            'keys STS does not know': await tokenOf({
              accessKeyId: 'AKIAUNKNOWNEKSAUTH01',
              secretAccessKey: 'not-a-key-sts-knows',
            }),
            // Valid at STS, but no mapping for this role on the cluster.
            'an unmapped role': await tokenOf(
              await assumed('backstage-irsa-unmapped'),
            ),
            'not an STS URL':
              EKS_TOKEN_PREFIX +
              Buffer.from(
                'https://sts.us-east-1.example.com/?Action=GetCallerIdentity&Version=2011-06-15',
              ).toString('base64url'),
            'not an EKS token': 'definitely-not-a-token-0123456789abcdef',
          };
          // The same request with the good token goes through: each refusal is its token's.
          await expect(
            gatewayWith(good).listServiceAccountsByLabels({ [LABEL]: 'none' }),
          ).resolves.toEqual([]);
          for (const [what, token] of Object.entries(refused)) {
            const error = await gatewayWith(token)
              .listServiceAccountsByLabels({ [LABEL]: 'none' })
              .then(
                () => new Error(`${what}: accepted`),
                e => e as Error,
              );
            errors.push(error.message, String(error.stack));
            expect({ what, name: error.name, message: error.message }).toEqual({
              what,
              name: 'NotAllowedError',
              // What to check for an EKS token, not for a ServiceAccount's token.
              message: expect.stringMatching(
                /\(Kubernetes API 401\).*did not accept the backend's EKS token: map the AWS identity.*EKS access entry or the aws-auth ConfigMap/,
              ),
            });
            for (const secret of secretPartsOf(token)) {
              expect(error.message).not.toContain(secret);
            }
          }
          // The STS peer checked the signatures it was sent (fakecloud --verify-sigv4).
          const stsErrors = lines(
            path.join(peer.logsDir, 'eks-sts-forwarder.log'),
          )
            .filter(l => l.event === 'request' && l.status !== 200)
            .map(l => l.error);
          expect(
            stsErrors.filter(e => e === 'SignatureDoesNotMatch'),
          ).toHaveLength(2);
          expect(stsErrors).toContain('InvalidClientTokenId');
        });

        it('says why when no token can be had (the role refuses the external id), before any request', async () => {
          const forwarded = () =>
            lines(path.join(peer.logsDir, 'eks-sts-forwarder.log')).length;
          const before = forwarded();
          const error = await productGateway('a-wrong-external-id')
            .listServiceAccountsByLabels({ [LABEL]: 'none' })
            .then(
              () => new Error('accepted'),
              e => e as Error,
            );
          errors.push(error.message, String(error.stack));
          expect(error.name).toBe('NotAllowedError');
          expect(error.message).toContain(
            `Could not list ServiceAccounts labelled ${LABEL}=none on cluster eks-sandbox; caused by NotAllowedError: Could not get an EKS token for cluster "${peer.clusterId}" as ${peer.roleArn}: AccessDenied`,
          );
          // No token, so no request reached the apiserver's authenticator.
          expect(forwarded()).toBe(before);
        });

        it('never writes a token, its signature or session token to a log or an error', async () => {
          expect(tokens.size).toBeGreaterThan(5);
          const texts: Record<string, string> = {
            'kube-apiserver log': readFileSync(
              path.join(peer.logsDir, 'eks-kube-apiserver.log'),
              'utf8',
            ),
            'aws-iam-authenticator log': readFileSync(
              path.join(peer.logsDir, 'eks-authenticator.log'),
              'utf8',
            ),
            'STS forwarder log': readFileSync(
              path.join(peer.logsDir, 'eks-sts-forwarder.log'),
              'utf8',
            ),
            'audit log': readFileSync(peer.auditLog, 'utf8'),
            'fakecloud log': fc.log(),
            errors: errors.join('\n'),
          };
          // The logs did record the traffic: an empty file would prove nothing.
          expect(texts['aws-iam-authenticator log']).toContain(
            'access granted',
          );
          const leaks = Object.entries(texts).flatMap(([where, text]) =>
            [...tokens]
              .flatMap(secretPartsOf)
              .filter(secret => text.includes(secret))
              .map(secret => `${where}: ${secret.slice(0, 12)}…`),
          );
          expect(leaks).toEqual([]);
        });
      },
    );
  },
);
