import {
  coreV1,
  createManagedRole,
  describeSandbox,
  peerRequests,
  sandboxEnv,
} from '@backstage-irsa/sandbox-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import { createDeleteIrsaRoleAction } from './deleteIrsaRole';
import { examples } from './deleteIrsaRole.examples';

// Every documented example runs against the sandbox, as a dry run: it must validate and
// resolve (cluster, namespace, role) exactly as written, and write nothing.
describeSandbox('aws:irsa:delete-role examples', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(60_000);
  const action = createDeleteIrsaRoleAction(
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
    // The role the second example names, made by backstage-irsa for the entity.
    const roleArn = await createManagedRole(
      'irsa-payments-api',
      step.input.entityRef,
      sandboxEnv().clusterAccountId,
    );
    // An example that names a role names that one.
    expect([undefined, roleArn]).toContain(step.input.roleArn);
    const logger = mockServices.logger.mock();
    const ctx = { ...mockContext(step.input, { dryRun: true }), logger };
    const mark = await peerRequests.mark();
    await action.handler(ctx as any);
    const logs = logger.info.mock.calls.map(c => String(c[0])).join('\n');
    expect(logs).toContain('checked before any write');
    expect(logs).toContain('Dry run: nothing was changed.');
    expect(ctx.output).toHaveBeenCalledWith('roleDeleted', false);
    const seen = await peerRequests.since(mark);
    expect(
      seen.aws.filter(
        r =>
          r.roleName === 'irsa-payments-api' && !/^(Get|List)/.test(r.action),
      ),
    ).toEqual([]);
    expect(
      seen.k8s.filter(
        r =>
          r.namespace === 'payments' &&
          r.name === 'payments-api' &&
          ['create', 'patch', 'delete', 'update'].includes(r.verb),
      ),
    ).toEqual([]);
  });
});
