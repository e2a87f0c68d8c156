import {
  coreV1,
  createManagedRole,
  describeSandbox,
  sandboxEnv,
} from '@backstage-irsa/sandbox-test-utils';
import yaml from 'yaml';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import { createServiceAccountAction } from './createServiceAccount';
import { examples } from './createServiceAccount.examples';

// Every documented example runs against the sandbox, as a dry run: it must validate and
// resolve (cluster, namespace) exactly as written, with the role ARN a previous step gives.
describeSandbox('k8s:create-sa examples', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(60_000);
  const action = createServiceAccountAction(
    testActionOptions(sandboxIrsaService()),
  );

  beforeAll(async () => {
    // Namespaces are the team's; the examples assume `payments` exists.
    await coreV1()
      .createNamespace({ body: { metadata: { name: 'payments' } } })
      .catch(e => {
        if (e.code !== 409) throw e;
      });
  });

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const step = yaml.parse(example.example).steps[0];
    expect(step.action).toBe(action.id);
    const input = {
      ...step.input,
      roleArn: await createManagedRole(
        'irsa-payments-api',
        step.input.entityRef,
        sandboxEnv().clusterAccountId,
      ),
    };
    const ctx = mockContext(input, { dryRun: true });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'serviceAccount',
      step.input.serviceAccount,
    );
  });
});
