import {
  ClientKubernetesGateway,
  ClusterRegistry,
  kubeConfigFor,
  SdkStsGateway,
  VerifyService,
} from '@backstage-irsa/plugin-irsa-node';
import {
  coreV1,
  deleteOidcProvider,
  describeSandbox,
  sandboxAppConfig,
  sandboxEnv,
  setRoleTrust,
  webIdentityTrust,
} from '@backstage-irsa/sandbox-test-utils';
import { ConfigReader } from '@backstage/config';
import { randomInt } from 'node:crypto';
import { catalogueRow, sandboxBinding } from './__testUtils__/sandboxBinding';

// The provider, audience, annotation and trust checks, static and live: the product
// provisions a working binding, the test breaks one link straight through the AWS SDK or the
// Kubernetes API, and /status must name the code, its detail and the catalogue's fix; for a
// break STS sees, the product's live verify must fail with the same code (the sandbox's STS
// refuses as STS does: docs/sandbox.md, shim 3).

const guardrails = { roleNamePrefix: 'irsa-', rolePath: '/irsa/' };

/** An account no other test uses, so a test may delete its provider (moto makes it on use). */
function freshAccount(): string {
  return `6${String(randomInt(0, 10 ** 9)).padStart(9, '0')}${randomInt(
    10,
    99,
  )}`;
}

async function setup(
  prefix: string,
  options: { accountId?: string; roleAccountId?: string } = {},
) {
  const env = sandboxEnv();
  // A fresh account is the cluster's own: the same apiserver and issuer, its own provider;
  // a fresh role account beside it holds the roles (and its own provider).
  const { accountId: fresh, roleAccountId } = options;
  const config = fresh
    ? sandboxAppConfig({
        guardrails,
        accountIds: roleAccountId ? [fresh, roleAccountId] : [fresh],
        irsaClusters: [
          {
            name: 'sandbox',
            accountId: fresh,
            region: env.region,
            oidcIssuer: env.oidcIssuer,
            allowedAccountIds: roleAccountId ? [roleAccountId] : [],
            kubernetes: { clusterRef: 'sandbox' },
          },
        ],
      })
    : sandboxAppConfig({ guardrails });
  const binding = await sandboxBinding(
    prefix,
    config,
    roleAccountId ? { accountId: roleAccountId } : {},
  );

  /** Sets annotations on ServiceAccount `api`, as someone editing it by hand would. */
  async function annotateServiceAccount(annotations: Record<string, string>) {
    const sa = await coreV1().readNamespacedServiceAccount({
      name: 'api',
      namespace: binding.namespace,
    });
    sa.metadata!.annotations = { ...sa.metadata!.annotations, ...annotations };
    await coreV1().replaceNamespacedServiceAccount({
      name: 'api',
      namespace: binding.namespace,
      body: sa,
    });
  }

  /**
   * Live verify without the propagation wait: the role is seconds old, so the product's
   * /verify would (rightly) retry an AccessDenied for up to a minute and call it F16.
   */
  function verifyAtOnce() {
    const registry = ClusterRegistry.fromConfig(new ConfigReader(config));
    return new VerifyService(
      registry,
      cluster =>
        new ClientKubernetesGateway(
          cluster,
          kubeConfigFor(cluster, registry.get(cluster).kubernetes),
        ),
      region => new SdkStsGateway(region),
    ).verify({ cluster: 'sandbox', namespace: binding.namespace, name: 'api' });
  }

  const accountId = roleAccountId ?? fresh ?? env.clusterAccountId;
  const hostPath = binding.oidc.providerArn.split(':oidc-provider/')[1];
  const sub = `system:serviceaccount:${binding.namespace}:api`;
  return {
    ...binding,
    env,
    accountId,
    hostPath,
    sub,
    annotateServiceAccount,
    verifyAtOnce,
  };
}

/**
 * A trust that matches nothing: the card fails F3 beside the lint's code, and STS denies the
 * token (AccessDenied, F3) when verify asks it live.
 */
async function expectDeniedByTrust(
  binding: { overall: string },
  byCode: Record<string, { status: string }>,
  verifyAtOnce: () => Promise<unknown>,
) {
  expect(byCode.F3.status).toBe('fail');
  expect(binding.overall).toBe('broken');
  expect(await verifyAtOnce()).toMatchObject({
    ok: false,
    stsCalled: true,
    stsErrorCode: 'AccessDenied',
    check: { code: 'F3', status: 'fail' },
  });
}

describeSandbox('GET /status and live verify agree on each break', () => {
  jest.setTimeout(60_000);

  it('F1: the provider deleted from the role account fails, and STS refuses the token for it', async () => {
    const accountId = freshAccount();
    const { oidc, roleArn, status, verify } = await setup('f1', {
      accountId,
    });
    expect(roleArn).toContain(`::${accountId}:role/`);
    expect((await status()).byCode.F1.status).toBe('pass');

    await deleteOidcProvider(accountId, oidc.providerArn);
    const { binding, byCode } = await status();
    expect(byCode.F1).toEqual(catalogueRow('F1', 'fail'));
    expect(byCode.F1.detail).toContain(oidc.providerArn);
    expect(byCode.F2).toBeUndefined();
    expect(binding.overall).toBe('broken');

    const live = await verify();
    expect(live).toMatchObject({
      ok: false,
      stsCalled: true,
      roleArn,
      stsErrorCode: 'InvalidIdentityTokenException',
      check: { code: 'F1', status: 'fail' },
    });
    expect(live.check.detail).toMatch(
      /^STS refused: InvalidIdentityTokenException: No OpenIDConnect provider found in your account for https:\/\/127\.0\.0\.1\/id\//,
    );
  });

  it('F2: a cross-account role whose account lost the provider fails F2, and live verify says F2 too', async () => {
    const clusterAccount = freshAccount();
    const roleAccount = freshAccount();
    const { oidc, roleArn, status, verify } = await setup('f2-live', {
      accountId: clusterAccount,
      roleAccountId: roleAccount,
    });
    expect(oidc.providerArn).toContain(`::${roleAccount}:oidc-provider/`);
    expect((await status()).byCode.F2.status).toBe('pass');

    await deleteOidcProvider(roleAccount, oidc.providerArn);
    const { byCode } = await status();
    expect(byCode.F2).toEqual(catalogueRow('F2', 'fail'));
    expect(byCode.F1).toBeUndefined();

    const live = await verify();
    expect(live).toMatchObject({
      ok: false,
      stsCalled: true,
      roleArn,
      stsErrorCode: 'InvalidIdentityTokenException',
      check: { code: 'F2', status: 'fail' },
    });
    expect(live.check.detail).toContain(
      `The role is in account ${roleAccount}, the cluster in account ${clusterAccount}`,
    );
  });

  it('F6: a token audience the provider does not accept fails, and STS refuses it as the wrong audience', async () => {
    const { annotateServiceAccount, status, verify } = await setup('f6');
    await annotateServiceAccount({
      'eks.amazonaws.com/audience': 'sts.amazonaws.com.example',
    });
    const { binding, byCode } = await status();
    expect(byCode.F6).toEqual(catalogueRow('F6', 'fail'));
    expect(byCode.F6.detail).toBe(
      "The provider's audiences (sts.amazonaws.com) lack sts.amazonaws.com.example.",
    );
    expect(binding.overall).toBe('broken');

    const live = await verify();
    expect(live).toMatchObject({
      ok: false,
      stsCalled: true,
      stsErrorCode: 'InvalidIdentityTokenException',
      check: { code: 'F6', status: 'fail' },
    });
    expect(live.check.detail).toMatch(
      /^STS refused: InvalidIdentityTokenException: Incorrect token audience/,
    );
  });

  it('F20: a malformed role ARN annotation fails, and verify refuses it without calling STS', async () => {
    const { annotateServiceAccount, status, verify } = await setup('f20');
    const bad = `arn:aws:iam::12345:role/irsa-x`;
    await annotateServiceAccount({ 'eks.amazonaws.com/role-arn': bad });
    const { binding, byCode } = await status();
    expect(byCode.F20).toEqual(catalogueRow('F20', 'fail'));
    expect(byCode.F20.detail).toMatch(/12 digits/);
    expect(binding.overall).toBe('broken');

    const live = await verify();
    expect(live).toMatchObject({
      ok: false,
      stsCalled: false,
      roleArn: bad,
      check: { code: 'F20', status: 'fail' },
    });
    expect(live.check.detail).toMatch(/STS was not called\.$/);
  });

  it('F4: a condition key with the provider ARN prefix never matches; STS denies the token', async () => {
    const { accountId, rolePlan, oidc, hostPath, sub, status, verifyAtOnce } =
      await setup('f4');
    const trust = webIdentityTrust(oidc.providerArn, sub);
    const conditions = trust.Statement[0].Condition.StringEquals;
    trust.Statement[0].Condition.StringEquals = {
      [`arn:aws:iam::${accountId}:oidc-provider/${hostPath}:sub`]: sub,
      [`${hostPath}:aud`]: conditions[`${hostPath}:aud`],
    };
    await setRoleTrust(accountId, rolePlan.roleName, trust);

    const { binding, byCode } = await status();
    expect(byCode.F4).toEqual(catalogueRow('F4', 'fail'));
    expect(byCode.F4.detail).toContain(
      `arn:aws:iam::${accountId}:oidc-provider/${hostPath}:sub`,
    );
    await expectDeniedByTrust(binding, byCode, verifyAtOnce);
  });

  it('F5: a wildcard under StringEquals is literal; STS denies the token', async () => {
    const {
      accountId,
      rolePlan,
      oidc,
      hostPath,
      namespace,
      status,
      verifyAtOnce,
    } = await setup('f5');
    const pattern = `system:serviceaccount:${namespace}:*`;
    await setRoleTrust(
      accountId,
      rolePlan.roleName,
      webIdentityTrust(oidc.providerArn, pattern),
    );

    const { binding, byCode } = await status();
    expect(byCode.F5).toEqual(catalogueRow('F5', 'fail'));
    expect(byCode.F5.detail).toContain(`${hostPath}:sub`);
    expect(byCode.F5.detail).toContain(pattern);
    await expectDeniedByTrust(binding, byCode, verifyAtOnce);
  });

  it('F18: a trust over the quota backstage-irsa was given works, so it warns: no room to add', async () => {
    const { accountId, rolePlan, oidc, namespace, sub, status } = await setup(
      'f18',
    );
    // As a platform team leaves a role in an account whose quota was raised to 4,096.
    const trust = webIdentityTrust(oidc.providerArn, sub);
    const conditions = trust.Statement[0].Condition.StringEquals as Record<
      string,
      string | string[]
    >;
    const subKey = Object.keys(conditions).find(k => k.endsWith(':sub'))!;
    const subjects = [sub];
    while (JSON.stringify(trust).length <= 2100) {
      subjects.push(
        `system:serviceaccount:${namespace}:worker-${subjects.length}`,
      );
      conditions[subKey] = [...subjects];
    }
    await setRoleTrust(accountId, rolePlan.roleName, trust);

    const { binding, byCode } = await status();
    expect(byCode.F18).toEqual(catalogueRow('F18', 'warn'));
    expect(byCode.F18.detail).toMatch(
      /^The trust policy is 2\d{3} characters as IAM counts them \(white space excluded\), over the 2048-character quota: no ServiceAccount or cluster can be added to it\. IAM accepted it, so this account's quota is higher .*irsa\.guardrails\.trustPolicySizeLimit/,
    );
    expect(byCode.F3.status).toBe('pass');
    expect(binding.overall).toBe('warning');
  });

  it('F10: pods started before the annotation, or with an older role, need a restart; injected ones do not', async () => {
    const { namespace, roleArn, status } = await setup('f10');
    const env = (role: string) => [
      { name: 'AWS_ROLE_ARN', value: role },
      {
        name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
        value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
      },
    ];
    const pod = (name: string, containerEnv?: object[]) =>
      coreV1().createNamespacedPod({
        namespace,
        body: {
          metadata: { name },
          spec: {
            serviceAccountName: 'api',
            containers: [
              { name: 'app', image: 'app', env: containerEnv as any },
            ],
          },
        },
      });
    await pod('before-annotation');
    await pod('older-role', env(roleArn.replace(/[^/]+$/, 'irsa-previous')));
    await pod('injected', env(roleArn));

    const { binding, byCode } = await status();
    expect(byCode.F10).toEqual(catalogueRow('F10', 'warn'));
    expect(byCode.F10.detail).toBe(
      'Pods without this role in their environment: before-annotation, older-role.',
    );
    expect(binding.pods).toEqual(
      expect.arrayContaining([
        { name: 'before-annotation', needsRestart: true },
        { name: 'older-role', needsRestart: true },
        { name: 'injected', needsRestart: false },
      ]),
    );
    expect(binding.overall).toBe('warning');
  });
});
