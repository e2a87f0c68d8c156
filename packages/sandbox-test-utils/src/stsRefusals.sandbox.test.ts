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

// The sandbox's STS refuses what AWS STS refuses (issue #8; docs/sandbox.md, shim 3): the token's
// signature is verified against the issuer's JWKS, then fakecloud — a separate peer with its own
// IAM evaluator, not this product's irsa-common — decides provider, aud, exp and trust on what
// moto holds. Each case goes through the AWS SDK, unsigned as a pod's SDK calls it, and expects
// STS's error code. Every role and provider lives in an account of its own (moto creates accounts
// on first use), so suites sharing the sandbox cannot add a provider under a test's feet.

import { createPrivateKey, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import {
  awsClientConfig,
  coreV1,
  describeSandbox,
  freshNamespace,
  sandboxEnv,
  stsWith,
  uniqueName,
  useMotoAccount,
  webIdentityLogin,
  webIdentityRefusal,
  webIdentityTrust,
} from './index';

const STS_AUDIENCE = 'sts.amazonaws.com';

/** A fresh account, touched only by this test (moto creates it on first use). */
function freshAccount(): string {
  return `7${String(randomInt(0, 10 ** 9)).padStart(9, '0')}${randomInt(
    10,
    99,
  )}`;
}

function iamIn(accountId: string): IAMClient {
  const env = sandboxEnv();
  return useMotoAccount(
    new IAMClient(
      awsClientConfig(async () => ({
        accessKeyId: env.awsAccessKeyId,
        secretAccessKey: env.awsSecretAccessKey,
      })),
    ),
    accountId,
  );
}

/** A role in a fresh account, trusting `trustedSub`; the provider with `clientIds`, or none. */
async function scene(opts: { trustedSub: string; clientIds?: string[] }) {
  const env = sandboxEnv();
  const account = freshAccount();
  const iam = iamIn(account);
  const hostPath = env.oidcIssuer.replace(/^https:\/\//, '');
  const providerArn = `arn:aws:iam::${account}:oidc-provider/${hostPath}`;
  if (opts.clientIds) {
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: env.oidcIssuer,
        ClientIDList: opts.clientIds,
        ThumbprintList: ['0'.repeat(40)],
      }),
    );
  }
  const roleName = uniqueName('sts-refusal').slice(0, 64);
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify(
        webIdentityTrust(providerArn, opts.trustedSub),
      ),
    }),
  );
  return { account, roleName, roleArn: role.Role!.Arn! };
}

const assume = (roleArn: string, token: string) =>
  webIdentityLogin(roleArn, token, 'sts-refusals');
const refusal = webIdentityRefusal;

function stsChecksOn(): boolean {
  return process.env.IRSA_SANDBOX_STS === 'fakecloud';
}

describeSandbox(
  'STS AssumeRoleWithWebIdentity refuses what AWS refuses (sandbox)',
  () => {
    jest.setTimeout(60_000);
    let sub = '';
    let token = '';

    beforeAll(async () => {
      if (!stsChecksOn()) {
        if (process.env.IRSA_SANDBOX_REQUIRED === '1') {
          throw new Error(
            `the sandbox runs without STS checks (IRSA_SANDBOX_STS=${process.env.IRSA_SANDBOX_STS}); install fakecloud and restart it`,
          );
        }
        return;
      }
      const namespace = await freshNamespace('sts-refusal');
      const saName = uniqueName('app').slice(0, 40);
      sub = `system:serviceaccount:${namespace}:${saName}`;
      const core = coreV1('admin');
      await core.createNamespacedServiceAccount({
        namespace,
        body: { metadata: { name: saName } },
      });
      const tr = await core.createNamespacedServiceAccountToken({
        name: saName,
        namespace,
        body: { spec: { audiences: [STS_AUDIENCE], expirationSeconds: 600 } },
      });
      token = tr.status!.token;
    });

    /** True (with a message) when the sandbox runs without STS checks and may skip. */
    const skip = () => {
      if (stsChecksOn()) return false;
      // eslint-disable-next-line no-console
      console.warn('SKIPPED: the sandbox has no STS checks (IRSA_SANDBOX_STS)');
      return true;
    };

    it('a good token for a correctly trusted role is accepted', async () => {
      if (skip()) return;
      const { account, roleName, roleArn } = await scene({
        trustedSub: sub,
        clientIds: [STS_AUDIENCE],
      });
      const c = (await assume(roleArn, token)).Credentials!;
      const me = await stsWith({
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken,
      }).send(new GetCallerIdentityCommand({}));
      expect(me.Arn).toBe(
        `arn:aws:sts::${account}:assumed-role/${roleName}/sts-refusals`,
      );
    });

    it('no IAM OIDC provider for iss in the role account: InvalidIdentityToken', async () => {
      if (skip()) return;
      const { roleArn } = await scene({ trustedSub: sub });
      const r = await refusal(roleArn, token);
      expect(r.code).toBe('InvalidIdentityTokenException');
      expect(r.message).toBe(
        `No OpenIDConnect provider found in your account for ${
          sandboxEnv().oidcIssuer
        }`,
      );
      expect(r.status).toBe(400);
    });

    it('aud not among the provider client IDs: InvalidIdentityToken', async () => {
      if (skip()) return;
      const { roleArn } = await scene({
        trustedSub: sub,
        clientIds: ['not-sts.example'],
      });
      const r = await refusal(roleArn, token);
      expect(r.code).toBe('InvalidIdentityTokenException');
      expect(r.message).toMatch(/^Incorrect token audience/);
    });

    it('trust names another ServiceAccount: AccessDenied', async () => {
      if (skip()) return;
      const { account, roleArn } = await scene({
        trustedSub: `${sub}-other`,
        clientIds: [STS_AUDIENCE],
      });
      const r = await refusal(roleArn, token);
      expect(r.code).toBe('AccessDenied');
      expect(r.status).toBe(403);
      expect(r.message).toContain(`arn:aws:iam::${account}:oidc-provider/`);
      expect(r.message).toContain(
        `not authorized to perform: sts:AssumeRoleWithWebIdentity on resource: ${roleArn}`,
      );
    });

    it('an expired token: ExpiredTokenException', async () => {
      if (skip()) return;
      // TokenRequest mints at least 600 s, so the test signs an expired one itself with the
      // sandbox's ServiceAccount signing key (the apiserver's --service-account-signing-key-file),
      // with the real token's kid and claims: only `exp` (and `iat`) differ.
      const { roleArn } = await scene({
        trustedSub: sub,
        clientIds: [STS_AUDIENCE],
      });
      const key = createPrivateKey(
        fs.readFileSync(path.join(sandboxEnv().dir, 'pki', 'sa.key')),
      );
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({
        ...decodeJwt(token),
        iat: now - 3600,
        nbf: now - 3600,
        exp: now - 60,
      })
        .setProtectedHeader(decodeProtectedHeader(token) as any)
        .sign(key);
      const r = await refusal(roleArn, expired);
      expect(r.code).toBe('ExpiredTokenException');
    });

    it('a tampered signature: InvalidIdentityToken', async () => {
      if (skip()) return;
      const { roleArn } = await scene({
        trustedSub: sub,
        clientIds: [STS_AUDIENCE],
      });
      const [h, p, s] = token.split('.');
      const i = Math.floor(s.length / 2);
      const flipped = s[i] === 'A' ? 'B' : 'A';
      const tampered = `${h}.${p}.${s.slice(0, i)}${flipped}${s.slice(i + 1)}`;
      const r = await refusal(roleArn, tampered);
      expect(r.code).toBe('InvalidIdentityTokenException');
      expect(r.message).toBe(
        'The web identity token signature could not be verified.',
      );
    });

    it('an issuer whose keys STS cannot fetch: InvalidIdentityToken (F8)', async () => {
      if (skip()) return;
      // A provider registered for an issuer path the sandbox's issuer does not serve, and a token
      // naming it: STS cannot read its discovery document, so it has no key to verify with.
      const env = sandboxEnv();
      const account = freshAccount();
      const iam = iamIn(account);
      const issuer = `https://127.0.0.1/id/${'0'.repeat(32)}`;
      const hostPath = issuer.replace(/^https:\/\//, '');
      const providerArn = `arn:aws:iam::${account}:oidc-provider/${hostPath}`;
      await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: issuer,
          ClientIDList: [STS_AUDIENCE],
          ThumbprintList: ['0'.repeat(40)],
        }),
      );
      const role = await iam.send(
        new CreateRoleCommand({
          RoleName: uniqueName('sts-refusal').slice(0, 64),
          AssumeRolePolicyDocument: JSON.stringify(
            webIdentityTrust(providerArn, sub),
          ),
        }),
      );
      expect(issuer).not.toBe(env.oidcIssuer);
      const [h, , s] = token.split('.');
      const claims = { ...decodeJwt(token), iss: issuer };
      const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const r = await refusal(role.Role!.Arn!, `${h}.${p}.${s}`);
      expect(r.code).toBe('InvalidIdentityTokenException');
      expect(r.message).toMatch(
        /^Couldn't retrieve verification key from your identity provider/,
      );
    });

    it('claims changed under a valid signature: InvalidIdentityToken', async () => {
      if (skip()) return;
      // A token for another ServiceAccount, forged by editing the payload of a signed one.
      const { roleArn } = await scene({
        trustedSub: `${sub}-forged`,
        clientIds: [STS_AUDIENCE],
      });
      const [h, , s] = token.split('.');
      const claims = { ...decodeJwt(token), sub: `${sub}-forged` };
      const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const r = await refusal(roleArn, `${h}.${p}.${s}`);
      expect(r.code).toBe('InvalidIdentityTokenException');
    });
  },
);
