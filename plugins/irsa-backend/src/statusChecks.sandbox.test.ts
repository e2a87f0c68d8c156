import {
  AwsClientFactory,
  ClientKubernetesGateway,
  ClusterRegistry,
  kubeConfigFor,
  sdkGatewayFactory,
  VerifyService,
} from '@backstage-irsa/plugin-irsa-node';
import {
  coreV1,
  createBoundaryPolicy,
  deleteOidcProvider,
  describeSandbox,
  peerRequests,
  sandboxAppConfig,
  sandboxEnv,
  setRolePermissionsBoundary,
  setRoleTrust,
  webIdentityTrust,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import { ConfigReader } from '@backstage/config';
import { sandboxBinding } from './__testUtils__/sandboxBinding';

// One test per check that GET /status computes from what it reads: the product provisions
// a working binding with its own services, the test breaks it straight through the AWS SDK
// or the Kubernetes API, and /status must name the code, its status, the detail and the
// catalogue's fix. Pods stay Pending (no kubelet) and get no webhook: where a test needs
// an injected pod it writes AWS_ROLE_ARN into the spec as the webhook would.

type Containers = NonNullable<
  Parameters<
    ReturnType<typeof coreV1>['createNamespacedPod']
  >[0]['body']['spec']
>['containers'];

type Options = {
  guardrails?: Record<string, unknown>;
  /** The role's account; a cross-account role gets a cluster with its own issuer. */
  accountId?: string;
};

async function setup(prefix: string, options: Options = {}) {
  const env = sandboxEnv();
  const guardrails = {
    roleNamePrefix: 'irsa-',
    rolePath: '/irsa/',
    ...options.guardrails,
  };
  // A cross-account test deletes its provider, so it gets an issuer of its own.
  const irsaClusters = options.accountId
    ? [
        {
          name: 'sandbox',
          accountId: env.clusterAccountId,
          region: env.region,
          oidcIssuer: `https://oidc.sandbox.test/id/${uniqueName(
            prefix,
          ).toUpperCase()}`,
          allowedAccountIds: [env.targetAccountId],
          kubernetes: { clusterRef: 'sandbox' },
        },
      ]
    : undefined;
  const config = sandboxAppConfig({ guardrails, irsaClusters });
  const { namespace, irsa, oidc, rolePlan, roleArn, status } =
    await sandboxBinding(prefix, config, { accountId: options.accountId });

  /** A pod of ServiceAccount `api`, shaped as the webhook would leave it. */
  async function createPod(
    podName: string,
    containers: Containers,
    annotations: Record<string, string> = {},
  ) {
    await coreV1().createNamespacedPod({
      namespace,
      body: {
        metadata: { name: podName, annotations },
        spec: { serviceAccountName: 'api', containers },
      },
    });
  }

  /** Sets annotations on the ServiceAccount, as someone editing it by hand would. */
  async function annotateServiceAccount(annotations: Record<string, string>) {
    const sa = await coreV1().readNamespacedServiceAccount({
      name: 'api',
      namespace,
    });
    sa.metadata!.annotations = { ...sa.metadata!.annotations, ...annotations };
    await coreV1().replaceNamespacedServiceAccount({
      name: 'api',
      namespace,
      body: sa,
    });
  }

  const injectedEnv = [
    { name: 'AWS_ROLE_ARN', value: roleArn },
    {
      name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
      value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
    },
  ];
  return {
    env,
    config,
    irsa,
    rolePlan,
    namespace,
    roleArn,
    providerArn: oidc.providerArn,
    status,
    createPod,
    annotateServiceAccount,
    injectedEnv,
  };
}

const fixOf = (code: string) =>
  expect.objectContaining({
    code,
    docsUrl: `docs/troubleshooting.md#${code.toLowerCase()}`,
    fix: expect.any(String),
  });

describeSandbox('GET /api/irsa/status computes each check', () => {
  jest.setTimeout(60_000);

  it('F2: a cross-account role whose account lost the provider is F2, not F1', async () => {
    const { env, roleArn, providerArn, status } = await setup('f2', {
      accountId: sandboxEnv().targetAccountId,
    });
    expect(roleArn).toContain(`::${env.targetAccountId}:role/`);
    expect(providerArn).toContain(`::${env.targetAccountId}:oidc-provider/`);

    const before = await status();
    expect(before.byCode.F1).toBeUndefined();
    expect(before.byCode.F2).toMatchObject({ status: 'pass' });
    expect(before.byCode.F3.status).toBe('pass');

    await deleteOidcProvider(env.targetAccountId, providerArn);
    const { binding, byCode } = await status();
    expect(byCode.F1).toBeUndefined();
    expect(byCode.F2).toEqual(fixOf('F2'));
    expect(byCode.F2.status).toBe('fail');
    expect(byCode.F2.detail).toBe(
      `The role is in account ${env.targetAccountId}, cluster sandbox in account ${env.clusterAccountId}, ` +
        `and account ${env.targetAccountId} has no IAM OIDC provider ${providerArn}, so STS there rejects the cluster's tokens. ` +
        `Create the provider in account ${env.targetAccountId} (run aws:oidc:ensure for cluster sandbox with accountId ${env.targetAccountId}), ` +
        `or use a role in account ${env.clusterAccountId} that chains into account ${env.targetAccountId}.`,
    );
    expect(byCode.F2.fix).toMatch(/aws:oidc:ensure action with that accountId/);
    expect(binding.overall).toBe('broken');
  });

  it('F12: static AWS keys in a container fail, named by pod and container, values never shown', async () => {
    const { status, createPod, injectedEnv } = await setup('f12');
    const secretValue = 'wJalrXUtnFEMI-not-a-real-secret';
    await createPod('api-0', [
      {
        name: 'app',
        image: 'app',
        env: [
          ...injectedEnv,
          { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAEXAMPLEONLY00000' },
          {
            name: 'AWS_SECRET_ACCESS_KEY',
            valueFrom: { secretKeyRef: { name: 'aws-keys', key: 'secret' } },
          },
        ],
      },
      {
        name: 'tool',
        image: 'tool',
        env: [...injectedEnv, { name: 'AWS_PROFILE', value: secretValue }],
      },
    ]);

    const { binding, byCode, text } = await status();
    expect(byCode.F12).toEqual(fixOf('F12'));
    expect(byCode.F12.status).toBe('fail');
    expect(byCode.F12.detail).toContain(
      'pod api-0 container app (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)',
    );
    expect(byCode.F12.detail).toContain(
      'pod api-0 container tool (AWS_PROFILE)',
    );
    expect(byCode.F10.status).toBe('pass');
    expect(binding.overall).toBe('broken');
    expect(text).not.toContain('AKIAEXAMPLEONLY00000');
    expect(text).not.toContain(secretValue);
  });

  it('F11: a container with EKS Pod Identity credentials warns, named by pod and container', async () => {
    // The sandbox cluster has eksClusterName, so /status also asks EKS for the
    // ServiceAccount's Pod Identity associations; moto has no such API (it answers 404),
    // and the row is then the pods' answer alone, never a failure.
    const { env, status, createPod, injectedEnv } = await setup('f11');
    await createPod('api-0', [{ name: 'app', image: 'app', env: injectedEnv }]);
    const mark = await peerRequests.mark();
    const before = await status();
    expect(
      (await peerRequests.since(mark)).aws.filter(
        r =>
          r.path ===
          `/clusters/${env.eksClusterName}/pod-identity-associations`,
      ),
    ).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: 404 })]),
    );
    expect(before.byCode.F11).toEqual(fixOf('F11'));
    expect(before.byCode.F11).toMatchObject({
      status: 'pass',
      detail: 'No container carries EKS Pod Identity credentials.',
    });

    // What the pod identity webhook injects when the ServiceAccount has an association.
    await createPod('api-1', [
      { name: 'app', image: 'app', env: injectedEnv },
      {
        name: 'agent-user',
        image: 'app',
        env: [
          {
            name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
            value: 'http://169.254.170.23/v1/credentials',
          },
          {
            name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
            value:
              '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
          },
        ],
      },
    ]);
    const { binding, byCode, text } = await status();
    expect(byCode.F11.status).toBe('warn');
    expect(byCode.F11.detail).toContain(
      'pod api-1 container agent-user (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)',
    );
    expect(byCode.F11.detail).toContain('takes precedence over IRSA');
    expect(byCode.F11.detail).not.toContain('container app');
    expect(text).not.toContain('169.254.170.23');
    expect(binding.overall).toBe('warning');
  });

  it("F16: Verify reads the role's creation date and the product's trust stamp from IAM and calls a denial within the minute propagating", async () => {
    // IAM propagation cannot be staged in the sandbox (its STS answers at once, shim 3), so
    // the STS answers below are scripted (denied, then yes) while the token, the role and its
    // CreateDate are the sandbox's own, read through the product's IAM gateway right after
    // the create-role action. A live AccessDenied (F3) is in status.test.ts.
    const { config, irsa, rolePlan, namespace, roleArn } = await setup('f16');
    const gateways = sdkGatewayFactory(
      AwsClientFactory.fromConfig(new ConfigReader(config)),
    );
    const account = roleArn.split(':')[4];
    const roleName = roleArn.split('/').pop()!;
    const role = await (
      await gateways.iam(account, sandboxEnv().region)
    ).getRole(roleName);
    const createdAt = Date.parse(role!.createDate!);
    expect(Math.abs(Date.now() - createdAt)).toBeLessThan(60_000);

    const registry = ClusterRegistry.fromConfig(new ConfigReader(config));
    const answers = [
      {
        ok: false as const,
        errorCode: 'AccessDenied',
        message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      },
    ];
    const tokens: string[] = [];
    let now = Date.now();
    const verify = (final: 'yes' | 'no') =>
      new VerifyService(
        registry,
        name =>
          new ClientKubernetesGateway(
            name,
            kubeConfigFor(name, registry.get(name).kubernetes),
          ),
        () => ({
          verifyWebIdentity: async ({ token }) => {
            tokens.push(token);
            return tokens.length === 1 || final === 'no'
              ? answers[0]
              : { ok: true as const, assumedRoleArn: 'assumed' };
          },
        }),
        gateways,
        {
          now: () => now,
          sleep: async ms => {
            now += ms;
          },
        },
      ).verify({ cluster: 'sandbox', namespace, name: 'api' });

    expect((await verify('yes')).check).toMatchObject({
      code: 'F3',
      status: 'pass',
    });
    expect(tokens[0]).toMatch(/^eyJ/); // the sandbox API server's token, reused
    expect(new Set(tokens).size).toBe(1);

    tokens.length = 0;
    now = Date.now();
    const still = await verify('no');
    expect(still.check).toMatchObject({ code: 'F16', status: 'warn' });
    expect(still.check.detail).toMatch(
      /^Propagating: the role was created \d+ s ago, and IAM takes up to a minute to reach STS\./,
    );
    expect(now).toBeGreaterThanOrEqual(createdAt + 60_000);

    // The create-role action rewriting the trust stamps the time on the role, and Verify
    // counts from that stamp.
    const before = Date.now();
    await irsa.roles.updateTrust(rolePlan);
    const stamped = await (
      await gateways.iam(account, sandboxEnv().region)
    ).getRole(roleName);
    const stamp = Date.parse(stamped!.tags['backstage-irsa:trust-updated-at']);
    expect(stamp).toBeGreaterThanOrEqual(before - 1000);
    expect(stamp).toBeLessThanOrEqual(Date.now());
    tokens.length = 0;
    now = stamp + 5_000;
    const afterTrust = await verify('no');
    expect(afterTrust.check).toMatchObject({ code: 'F16', status: 'warn' });
    expect(afterTrust.check.detail).toMatch(
      /^Propagating: the role's trust was updated 5 s ago/,
    );
    expect(now).toBe(stamp + 60_000);
  });

  it('F14: the global STS endpoint, on the ServiceAccount or in a container, warns', async () => {
    const { status, createPod, annotateServiceAccount, injectedEnv } =
      await setup('f14');
    expect((await status()).byCode.F14.status).toBe('pass');

    await annotateServiceAccount({
      'eks.amazonaws.com/sts-regional-endpoints': 'false',
    });
    await createPod('api-0', [
      {
        name: 'app',
        image: 'app',
        env: [
          ...injectedEnv,
          { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'legacy' },
        ],
      },
    ]);
    const { binding, byCode } = await status();
    expect(byCode.F14).toEqual(fixOf('F14'));
    expect(byCode.F14.status).toBe('warn');
    expect(byCode.F14.detail).toBe(
      'The ServiceAccount sets eks.amazonaws.com/sts-regional-endpoints: "false", so the webhook does not inject ' +
        'AWS_STS_REGIONAL_ENDPOINTS=regional and SDKs whose default is the legacy setting call the global endpoint. ' +
        'AWS_STS_REGIONAL_ENDPOINTS=legacy (the global endpoint sts.amazonaws.com) in api-0/app.',
    );
    expect(binding.overall).toBe('warning');
  });

  it('F15: token lifetimes the webhook overrides warn with the value that takes effect', async () => {
    const { status, createPod, annotateServiceAccount, injectedEnv } =
      await setup('f15');
    await annotateServiceAccount({
      'eks.amazonaws.com/token-expiration': '60',
    });
    await createPod(
      'api-0',
      [{ name: 'app', image: 'app', env: injectedEnv }],
      {
        'eks.amazonaws.com/token-expiration': '2h',
      },
    );
    const { binding, byCode } = await status();
    expect(byCode.F15).toEqual(fixOf('F15'));
    expect(byCode.F15.status).toBe('warn');
    expect(byCode.F15.detail).toBe(
      'The ServiceAccount sets eks.amazonaws.com/token-expiration: 60, below 600; the webhook uses 600 s. ' +
        `Pod api-0 sets eks.amazonaws.com/token-expiration: "2h", not an integer; the webhook ignores it and uses the ServiceAccount's 600 s.`,
    );
    expect(binding.overall).toBe('warning');
  });

  it('F23: containers skipped by skip-containers or left out are named, apart from F10', async () => {
    const { status, createPod, injectedEnv } = await setup('f23');
    await createPod(
      'api-0',
      [
        { name: 'app', image: 'app', env: injectedEnv },
        { name: 'proxy', image: 'proxy' },
        { name: 'late', image: 'late' },
      ],
      { 'eks.amazonaws.com/skip-containers': 'proxy' },
    );
    await createPod('api-1', [{ name: 'app', image: 'app' }]);

    const { binding, byCode } = await status();
    expect(byCode.F23).toEqual(fixOf('F23'));
    expect(byCode.F23.status).toBe('warn');
    expect(byCode.F23.detail).toBe(
      'Skipped by eks.amazonaws.com/skip-containers, so without AWS credentials: api-0/proxy. ' +
        'Without this role although another container of the pod has it (added after the webhook ran, or AWS_ROLE_ARN set in the spec): api-0/late.',
    );
    // api-1 has no injected container at all: it started before the annotation (F10).
    expect(byCode.F10).toMatchObject({
      status: 'warn',
      detail: 'Pods without this role in their environment: api-1.',
    });
    expect(binding.pods).toEqual([
      { name: 'api-0', needsRestart: true },
      { name: 'api-1', needsRestart: true },
    ]);
    expect(binding.overall).toBe('warning');
  });

  it('S8: a role without the required permissions boundary, or with another, warns', async () => {
    const env = sandboxEnv();
    const boundary = await createBoundaryPolicy(
      env.clusterAccountId,
      uniqueName('boundary'),
    );
    const other = await createBoundaryPolicy(
      env.clusterAccountId,
      uniqueName('other-boundary'),
    );
    const { roleArn, status } = await setup('s8', {
      guardrails: { permissionsBoundaryArn: boundary },
    });
    const roleName = roleArn.split('/').pop()!;

    const made = await status();
    expect(made.byCode.S8).toMatchObject({
      status: 'pass',
      detail: `The role has the required permissions boundary ${boundary}.`,
    });
    expect(made.binding.overall).toBe('trusted');

    await setRolePermissionsBoundary(env.clusterAccountId, roleName, undefined);
    const removed = await status();
    expect(removed.byCode.S8).toEqual(fixOf('S8'));
    expect(removed.byCode.S8).toMatchObject({
      status: 'warn',
      detail: `The role has no permissions boundary; the guardrails require ${boundary}.`,
    });
    expect(
      removed.binding.checks.filter((c: any) => c.status === 'fail'),
    ).toEqual([]);
    expect(removed.binding.overall).toBe('warning');

    await setRolePermissionsBoundary(env.clusterAccountId, roleName, other);
    expect((await status()).byCode.S8).toMatchObject({
      status: 'warn',
      detail: `The role's permissions boundary is ${other}, not the required ${boundary}.`,
    });
  });

  it('F3 once for a trust that names another ServiceAccount: one finding, one row', async () => {
    const { env, roleArn, providerArn, status } = await setup('f3once');
    await setRoleTrust(
      env.clusterAccountId,
      roleArn.split('/').pop()!,
      webIdentityTrust(providerArn, 'system:serviceaccount:elsewhere:other'),
    );
    const { binding, byCode } = await status();
    expect(binding.checks.filter((c: any) => c.code === 'F3')).toHaveLength(1);
    expect(byCode.F3).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('does not allow system:serviceaccount:'),
    });
    expect(binding.overall).toBe('broken');
  });

  it('S2: a trust open to every ServiceAccount works, so it warns and is not broken', async () => {
    const { env, roleArn, providerArn, status } = await setup('s2warn');
    const hostPath = providerArn.split(':oidc-provider/')[1];
    await setRoleTrust(env.clusterAccountId, roleArn.split('/').pop()!, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringLike: { [`${hostPath}:sub`]: 'system:serviceaccount:*' },
            StringEquals: { [`${hostPath}:aud`]: 'sts.amazonaws.com' },
          },
        },
      ],
    });
    const { binding, byCode } = await status();
    expect(byCode.F3).toMatchObject({ status: 'pass' });
    expect(byCode.S2).toEqual(fixOf('S2'));
    expect(byCode.S2.status).toBe('warn');
    expect(binding.overall).toBe('warning');
  });
});
