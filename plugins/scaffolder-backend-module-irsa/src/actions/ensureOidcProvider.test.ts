import {
  describeSandbox,
  iamFor,
  sandboxEnv,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import {
  CreateOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
} from '@aws-sdk/client-iam';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import { createEnsureOidcProviderAction } from './ensureOidcProvider';

// Against the sandbox's moto: real AWS SDK v3 calls through the product's own config
// reading and integration-aws-node credential chain (assumed manager role per account).
// Each test uses an issuer of its own, so tests never see each other's providers.

function freshIssuer() {
  return `https://oidc.sandbox.test/id/${uniqueName('issuer').toUpperCase()}`;
}

function actionFor(irsaClusters?: object[]) {
  return createEnsureOidcProviderAction(
    testActionOptions(sandboxIrsaService({ irsaClusters })),
  );
}

function clusterWithIssuer(issuer: string) {
  const env = sandboxEnv();
  return [
    {
      name: 'c1',
      accountId: env.clusterAccountId,
      region: env.region,
      oidcIssuer: issuer,
      kubernetes: { clusterRef: 'sandbox' },
    },
  ];
}

function providerArn(issuer: string) {
  return `arn:aws:iam::${
    sandboxEnv().clusterAccountId
  }:oidc-provider/${issuer.replace('https://', '')}`;
}

async function readProvider(issuer: string) {
  return iamFor(sandboxEnv().clusterAccountId).send(
    new GetOpenIDConnectProviderCommand({
      OpenIDConnectProviderArn: providerArn(issuer),
    }),
  );
}

describeSandbox('aws:oidc:ensure against the sandbox', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(60_000);
  it('creates the provider with audience sts.amazonaws.com, then leaves it alone', async () => {
    const issuer = freshIssuer();
    const action = actionFor(clusterWithIssuer(`${issuer}/`));

    const first = mockContext({
      entityRef: 'component:default/test-service',
      cluster: 'c1',
    });
    await action.handler(first);
    expect(first.output).toHaveBeenCalledWith(
      'providerArn',
      providerArn(issuer),
    );
    expect(first.output).toHaveBeenCalledWith('issuer', issuer);
    expect(first.output).toHaveBeenCalledWith('created', true);

    const stored = await readProvider(issuer);
    expect(stored.ClientIDList).toEqual(['sts.amazonaws.com']);
    expect(stored.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'backstage-irsa:managed-by', Value: 'backstage-irsa' },
        { Key: 'backstage-irsa:cluster', Value: 'c1' },
      ]),
    );

    const second = mockContext({
      entityRef: 'component:default/test-service',
      cluster: 'c1',
    });
    await action.handler(second);
    expect(second.output).toHaveBeenCalledWith('created', false);
    expect(second.output).toHaveBeenCalledWith(
      'providerArn',
      providerArn(issuer),
    );
  });

  it('changes nothing in a dry run but reports the plan', async () => {
    const issuer = freshIssuer();
    const action = actionFor(clusterWithIssuer(issuer));
    const ctx = mockContext(
      { entityRef: 'component:default/test-service', cluster: 'c1' },
      { dryRun: true },
    );
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('providerArn', providerArn(issuer));
    expect(ctx.output).toHaveBeenCalledWith('created', false);
    await expect(readProvider(issuer)).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  });

  it('refuses to change a provider it did not create', async () => {
    const issuer = freshIssuer();
    await iamFor(sandboxEnv().clusterAccountId).send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuer,
        ClientIDList: ['some-other-audience'],
      }),
    );
    const action = actionFor(clusterWithIssuer(issuer));
    await expect(
      action.handler(
        mockContext({
          entityRef: 'component:default/test-service',
          cluster: 'c1',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('backstage-irsa did not create it'),
    });
    expect((await readProvider(issuer)).ClientIDList).toEqual([
      'some-other-audience',
    ]);
  });

  it('adds the audience to a provider it created earlier', async () => {
    // AddClientIDToOpenIDConnectProvider is a sandbox shim on moto 5.2.5 (docs/sandbox.md):
    // this proves the product makes the call for its own provider, not how AWS stores it.
    const issuer = freshIssuer();
    await iamFor(sandboxEnv().clusterAccountId).send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuer,
        ClientIDList: ['some-other-audience'],
        Tags: [{ Key: 'backstage-irsa:managed-by', Value: 'backstage-irsa' }],
      }),
    );
    const action = actionFor(clusterWithIssuer(issuer));
    const ctx = mockContext({
      entityRef: 'component:default/test-service',
      cluster: 'c1',
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('created', false);
    expect((await readProvider(issuer)).ClientIDList).toEqual([
      'some-other-audience',
      'sts.amazonaws.com',
    ]);
  });

  it('reads the issuer of an EKS cluster from DescribeCluster', async () => {
    const env = sandboxEnv();
    const ctx = mockContext(
      { entityRef: 'component:default/test-service', cluster: 'sandbox' },
      { dryRun: true },
    );
    await actionFor().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'issuer',
      env.oidcIssuer.replace(/\/$/, ''),
    );
  });

  it('rejects an unknown cluster as bad input', async () => {
    await expect(
      actionFor().handler(
        mockContext({
          entityRef: 'component:default/test-service',
          cluster: 'nope',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'cluster: Unknown IRSA cluster "nope"; configured clusters: sandbox',
    });
  });
});
