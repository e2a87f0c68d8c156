import { coreV1, describeSandbox } from '@backstage-irsa/sandbox-test-utils';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import yaml from 'yaml';
import { createEnsureOidcProviderAction } from './ensureOidcProvider';
import { examples } from './ensureOidcProvider.examples';
import { repositoryPresets } from '../__testUtils__/repositoryPresets';

// The examples shown in the scaffolder's action list must stay runnable: each is parsed
// back and run, as a dry run, against the sandbox with the form's parameters filled in.
const parameters: Record<string, unknown> = {
  cluster: 'sandbox',
  entity: 'component:default/payments-api',
  namespace: 'payments',
  serviceAccount: 'payments-api',
  roleName: 'payments-api',
  policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
  presets: [
    { name: 's3-read-bucket', parameters: { bucket: 'payments-reports' } },
  ],
};

function render(input: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(input).map(([k, v]) => {
      const m = /^\$\{\{ parameters\.(\w+) \}\}$/.exec(String(v));
      return [k, m ? parameters[m[1]] : v];
    }),
  );
}
describeSandbox('aws:oidc:ensure examples', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(60_000);
  const action = createEnsureOidcProviderAction(
    testActionOptions(
      sandboxIrsaService({
        guardrails: {
          allowedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
        },
        irsa: { presets: repositoryPresets() },
      }),
    ),
  );
  beforeAll(async () => {
    await coreV1()
      .createNamespace({ body: { metadata: { name: 'payments' } } })
      .catch(e => {
        if (e.code !== 409) throw e;
      });
  });

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const step = yaml.parse(example.example).steps[0];
    expect(step.action).toBe(action.id);
    const ctx = mockContext(render(step.input) as any, { dryRun: true });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'providerArn',
      expect.stringMatching(/^arn:aws:iam::\d{12}:oidc-provider\//),
    );
  });
});
