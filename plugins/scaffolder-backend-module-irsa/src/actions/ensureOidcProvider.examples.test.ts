import { describeSandbox } from '@backstage-irsa/sandbox-test-utils';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import yaml from 'yaml';
import { createEnsureOidcProviderAction } from './ensureOidcProvider';
import { examples } from './ensureOidcProvider.examples';

// The examples shown in the scaffolder's action list must stay runnable: each is parsed
// back and run, as a dry run, against the sandbox with `parameters.cluster` = sandbox.
describeSandbox('aws:oidc:ensure examples', () => {
  const action = createEnsureOidcProviderAction({
    irsaService: sandboxIrsaService(),
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
