import {
  AwsClientFactory,
  ClusterRegistry,
  OidcProviderService,
  sdkGatewayFactory,
} from '@backstage-irsa/plugin-irsa-node';
import {
  describeSandbox,
  sandboxAppConfig,
} from '@backstage-irsa/sandbox-test-utils';
import { ConfigReader } from '@backstage/config';
import { mockContext } from '../__testUtils__/mockContext';
import yaml from 'yaml';
import { createEnsureOidcProviderAction } from './ensureOidcProvider';
import { examples } from './ensureOidcProvider.examples';

// The examples shown in the scaffolder's action list must stay runnable: each is parsed
// back and run, as a dry run, against the sandbox with `parameters.cluster` = sandbox.
describeSandbox('aws:oidc:ensure examples', () => {
  const config = new ConfigReader(sandboxAppConfig());
  const action = createEnsureOidcProviderAction({
    irsaService: {
      oidcProviders: new OidcProviderService(
        ClusterRegistry.fromConfig(config),
        sdkGatewayFactory(AwsClientFactory.fromConfig(config)),
      ),
    },
  });

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const step = yaml.parse(example.example).steps[0];
    expect(step.action).toBe(action.id);
    const input = {
      cluster: step.input.cluster.replace(
        '${{ parameters.cluster }}',
        'sandbox',
      ),
    };
    const ctx = mockContext(input, { dryRun: true });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'providerArn',
      expect.stringMatching(/^arn:aws:iam::\d{12}:oidc-provider\//),
    );
  });
});
