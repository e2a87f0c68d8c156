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

// The IRSA round trip against the sandbox's real peers: kube-apiserver mints and signs the token,
// moto plays IAM/STS/EKS over the real AWS wire protocol.
//
// moto's STS checks nothing; the sandbox's shim 3 (fakecloud behind it, docs/sandbox.md) now
// refuses what STS refuses, proved case by case in stsRefusals.sandbox.test.ts. This test still
// checks itself what STS checks, so it holds against a permissive sandbox too:
// - the token's signature, `iss`, `aud` and `sub`: verified here against the issuer's own
//   anonymously served discovery document and JWKS, as STS fetches them;
// - the role's trust policy: moto neither evaluates it nor requires the OIDC provider to exist,
//   so the test asserts the trust policy's exact shape and the provider's URL and client IDs.
// The only shim on this path is the EKS issuer override (DescribeCluster reports the local
// apiserver); the test asserts against what DescribeCluster returns, not what the shim was fed.

import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  EntityAlreadyExistsException,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import {
  anonymousSts,
  coreV1,
  describeSandbox,
  eksFor,
  freshNamespace,
  iamFor,
  sandboxEnv,
  stsWith,
  uniqueName,
  webIdentityTrust,
} from './index';

const STS_AUDIENCE = 'sts.amazonaws.com';

/** GET over https trusting only the sandbox CA, with no credentials (as STS fetches JWKS). */
function getAnonymousJson(url: string, accept = 'application/json') {
  const ca = Buffer.from(sandboxEnv().k8sCaData, 'base64').toString();
  return new Promise<any>((resolve, reject) => {
    https
      .get(url, { ca, headers: { accept } }, res => {
        let body = '';
        res.on('data', d => (body += d));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(body))
            : reject(new Error(`GET ${url}: ${res.statusCode} ${body}`)),
        );
      })
      .on('error', reject);
  });
}

/** SHA-1 of the top (CA) certificate of the issuer's chain, as IAM thumbprints are. */
function caThumbprint(): string {
  const pem = Buffer.from(sandboxEnv().k8sCaData, 'base64').toString();
  return new X509Certificate(pem).fingerprint.replace(/:/g, '').toLowerCase();
}

/** The product's aws:oidc:ensure in miniature: create, or accept the existing provider. */
async function ensureOidcProvider(accountId: string, issuer: string) {
  const iam = iamFor(accountId);
  const hostPath = issuer.replace(/^https:\/\//, '');
  const arn = `arn:aws:iam::${accountId}:oidc-provider/${hostPath}`;
  try {
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuer,
        ClientIDList: [STS_AUDIENCE],
        ThumbprintList: [caThumbprint()],
      }),
    );
    expect(created.OpenIDConnectProviderArn).toBe(arn);
  } catch (e) {
    // Other suites share the sandbox and may have created it first.
    if (!(e instanceof EntityAlreadyExistsException)) throw e;
  }
  return arn;
}

describeSandbox('IRSA round trip (sandbox)', () => {
  jest.setTimeout(60_000);

  it.each(['cluster', 'target'] as const)(
    'a ServiceAccount token assumes a role trusting it, role in the %s account',
    async where => {
      const env = sandboxEnv();
      const roleAccount =
        where === 'cluster' ? env.clusterAccountId : env.targetAccountId;

      // 1. The issuer as EKS reports it for the cluster.
      const cluster = (
        await eksFor(env.clusterAccountId).send(
          new DescribeClusterCommand({ name: env.eksClusterName }),
        )
      ).cluster!;
      const issuer = cluster.identity!.oidc!.issuer!;
      expect(issuer).toBe(env.oidcIssuer);
      const hostPath = issuer.replace(/^https:\/\//, '');

      // 2. The OIDC provider for that issuer, in the account that owns the role.
      const providerArn = await ensureOidcProvider(roleAccount, issuer);
      const provider = await iamFor(roleAccount).send(
        new GetOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: providerArn,
        }),
      );
      expect(provider.Url).toBe(hostPath);
      expect(provider.ClientIDList).toContain(STS_AUDIENCE);

      // 3. A role trusting exactly one ServiceAccount.
      const namespace = await freshNamespace('irsa-rt');
      const saName = uniqueName('app').slice(0, 40);
      const sub = `system:serviceaccount:${namespace}:${saName}`;
      const roleName = uniqueName('irsa-rt').slice(0, 64);
      const created = await iamFor(roleAccount).send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify(
            webIdentityTrust(providerArn, sub),
          ),
        }),
      );
      const roleArn = created.Role!.Arn!;
      expect(roleArn).toBe(`arn:aws:iam::${roleAccount}:role/${roleName}`);

      // moto never evaluates trust policies: assert the stored one is exactly what IRSA needs.
      const role = await iamFor(roleAccount).send(
        new GetRoleCommand({ RoleName: roleName }),
      );
      const doc = role.Role!.AssumeRolePolicyDocument!;
      const stored = JSON.parse(
        doc.startsWith('%') ? decodeURIComponent(doc) : doc,
      );
      expect(stored).toEqual(webIdentityTrust(providerArn, sub));
      expect(stored.Statement).toHaveLength(1);

      // 4. The ServiceAccount, annotated as the product's k8s:create-sa does.
      const core = coreV1('admin');
      await core.createNamespacedServiceAccount({
        namespace,
        body: {
          metadata: {
            name: saName,
            annotations: { 'eks.amazonaws.com/role-arn': roleArn },
          },
        },
      });

      // 5. Its token, minted by the real apiserver for audience sts.amazonaws.com.
      const tokenRequest = await core.createNamespacedServiceAccountToken({
        name: saName,
        namespace,
        body: { spec: { audiences: [STS_AUDIENCE], expirationSeconds: 600 } },
      });
      const token = tokenRequest.status!.token;
      const claims = decodeJwt(token);
      expect(claims.iss).toBe(issuer); // the same `iss` that EKS reports
      expect(claims.sub).toBe(sub);
      expect(claims.aud).toEqual([STS_AUDIENCE]);

      // What STS would do and moto does not: discovery + JWKS, anonymously, then verify.
      // STS fetches discovery from the issuer's host; in the sandbox the apiserver serves it
      // (as on EKS, the issuer host is not the API server), and it must name the same issuer.
      const discovery = await getAnonymousJson(
        `${env.k8sUrl}/.well-known/openid-configuration`,
      );
      expect(discovery.issuer).toBe(issuer);
      const jwks = await getAnonymousJson(
        discovery.jwks_uri,
        'application/jwk-set+json',
      );
      await jwtVerify(token, createLocalJWKSet(jwks), {
        issuer: `https://${provider.Url}`,
        audience: provider.ClientIDList!,
        subject: sub,
      });

      // 6. AssumeRoleWithWebIdentity, unsigned like a pod's SDK, then who am I.
      const assumed = await anonymousSts().send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArn,
          RoleSessionName: 'irsa-round-trip',
          WebIdentityToken: token,
        }),
      );
      const c = assumed.Credentials!;
      const me = await stsWith({
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken,
      }).send(new GetCallerIdentityCommand({}));
      expect(me.Account).toBe(roleAccount);
      expect(me.Arn).toBe(
        `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/irsa-round-trip`,
      );
    },
  );
});
