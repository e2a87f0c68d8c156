import {
  coreV1,
  describeSandbox,
  iamFor,
  sandboxEnv,
} from '@backstage-irsa/sandbox-test-utils';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import yaml from 'yaml';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import { createIrsaRoleAction } from './createIrsaRole';
import { createEnsureOidcProviderAction } from './ensureOidcProvider';
import { examples } from './createIrsaRole.examples';
import { repositoryPresets } from '../__testUtils__/repositoryPresets';

// Every documented example runs against the sandbox with the repository's guardrails
// (as app-config.yaml sets them) and its presets (read from app-config.yaml), after its
// provider exists.
const ensurePaymentsNamespace = () =>
  coreV1()
    .createNamespace({ body: { metadata: { name: 'payments' } } })
    .catch(e => {
      if (e.code !== 409) throw e;
    });

describeSandbox('aws:irsa:create-role examples', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(60_000);
  beforeAll(ensurePaymentsNamespace);
  const irsaService = sandboxIrsaService({
    guardrails: {
      roleNamePrefix: 'irsa-',
      rolePath: '/irsa/',
      allowedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    },
    irsa: { presets: repositoryPresets() },
  });
  const action = createIrsaRoleAction(testActionOptions(irsaService));
  const oidc = createEnsureOidcProviderAction(testActionOptions(irsaService));

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const step = yaml.parse(example.example).steps[0];
    expect(step.action).toBe(action.id);
    await oidc.handler(
      mockContext({
        cluster: step.input.cluster,
        accountId: step.input.accountId,
        entityRef: step.input.entityRef,
      }),
    );
    const ctx = mockContext(step.input);
    await action.handler(ctx);
    const account = step.input.accountId ?? sandboxEnv().clusterAccountId;
    expect(ctx.output).toHaveBeenCalledWith(
      'roleArn',
      `arn:aws:iam::${account}:role/irsa/irsa-${step.input.roleName}`,
    );
    for (const preset of step.input.presets ?? []) {
      const { PolicyDocument } = await iamFor(account).send(
        new GetRolePolicyCommand({
          RoleName: `irsa-${step.input.roleName}`,
          PolicyName: `preset-${preset.name}`,
        }),
      );
      // The parameters were substituted into the policy IAM stores.
      for (const value of Object.values(preset.parameters ?? {})) {
        expect(decodeURIComponent(PolicyDocument!)).toContain(String(value));
      }
    }
  });
});
