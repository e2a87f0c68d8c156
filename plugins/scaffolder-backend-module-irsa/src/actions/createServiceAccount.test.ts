import { createHash } from 'node:crypto';
import {
  coreV1,
  createManagedRole,
  describeSandbox,
  freshNamespace,
  sandboxEnv,
} from '@backstage-irsa/sandbox-test-utils';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import { createServiceAccountAction } from './createServiceAccount';

// Against the sandbox's real kube-apiserver, acting as the backstage-irsa ServiceAccount
// with its least-privilege ClusterRole (docs/rbac), as the backend does.

const roleArn = (name: string) =>
  `arn:aws:iam::${sandboxEnv().clusterAccountId}:role/irsa/${name}`;

function action() {
  return createServiceAccountAction(
    testActionOptions(
      sandboxIrsaService({ guardrails: { deniedNamespaces: ['kube-*'] } }),
    ),
  );
}

async function readSa(namespace: string, name: string) {
  return coreV1().readNamespacedServiceAccount({ namespace, name });
}

describeSandbox('k8s:create-sa against the sandbox', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(60_000);
  beforeAll(async () => {
    // The roles the ServiceAccounts point at: made by backstage-irsa for their entity.
    for (const [name, entity] of [
      ['irsa-sa-test-api', 'component:default/sa-test-api'],
      ['irsa-worker', 'component:default/worker'],
      ['irsa-worker-v2', 'component:default/worker'],
      ['irsa-mine', 'component:default/test-service'],
      ['irsa-dry', 'component:default/test-service'],
      ['irsa-api', 'component:default/test-service'],
    ]) {
      await createManagedRole(name, entity);
    }
  });

  it('creates the ServiceAccount with the role annotation and catalog labels', async () => {
    const namespace = await freshNamespace('sa');
    const ctx = mockContext({
      cluster: 'sandbox',
      namespace,
      serviceAccount: 'payments-api',
      roleArn: roleArn('irsa-sa-test-api'),
      entityRef: 'component:default/sa-test-api',
    });
    await action().handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('created', true);
    const sa = await readSa(namespace, 'payments-api');
    expect(sa.metadata?.annotations).toEqual({
      'eks.amazonaws.com/role-arn': roleArn('irsa-sa-test-api'),
      'irsa.backstage.io/entity-ref': 'component:default/sa-test-api',
    });
    expect(sa.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'backstage-irsa',
      'backstage.io/kubernetes-id': 'sa-test-api',
      // sha256('component:default/sa-test-api'): the index status lists by.
      'irsa.backstage.io/entity-hash': createHash('sha256')
        .update('component:default/sa-test-api')
        .digest('hex')
        .slice(0, 40),
    });
  });

  it('leaves an up-to-date ServiceAccount alone and re-points its own to a new role', async () => {
    const namespace = await freshNamespace('sa');
    const input = {
      cluster: 'sandbox',
      namespace,
      serviceAccount: 'worker',
      roleArn: roleArn('irsa-worker'),
      entityRef: 'component:default/worker',
    };
    await action().handler(mockContext(input));
    const again = mockContext(input);
    await action().handler(again);
    expect(again.output).toHaveBeenCalledWith('created', false);

    await action().handler(
      mockContext({ ...input, roleArn: roleArn('irsa-worker-v2') }),
    );
    expect(
      (await readSa(namespace, 'worker')).metadata?.annotations?.[
        'eks.amazonaws.com/role-arn'
      ],
    ).toBe(roleArn('irsa-worker-v2'));
  });

  it('never changes a ServiceAccount it did not create', async () => {
    const namespace = await freshNamespace('sa');
    await coreV1().createNamespacedServiceAccount({
      namespace,
      body: {
        metadata: {
          name: 'hand-made',
          annotations: {
            'eks.amazonaws.com/role-arn': roleArn('someone-elses'),
          },
        },
      },
    });
    await expect(
      action().handler(
        mockContext({
          entityRef: 'component:default/test-service',
          cluster: 'sandbox',
          namespace,
          serviceAccount: 'hand-made',
          roleArn: roleArn('irsa-mine'),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('kubectl -n'),
    });
    expect(
      (await readSa(namespace, 'hand-made')).metadata?.annotations?.[
        'eks.amazonaws.com/role-arn'
      ],
    ).toBe(roleArn('someone-elses'));
  });

  it('changes nothing in a dry run', async () => {
    const namespace = await freshNamespace('sa');
    await action().handler(
      mockContext(
        {
          entityRef: 'component:default/test-service',
          cluster: 'sandbox',
          namespace,
          serviceAccount: 'dry',
          roleArn: roleArn('irsa-dry'),
        },
        { dryRun: true },
      ),
    );
    await expect(readSa(namespace, 'dry')).rejects.toMatchObject({ code: 404 });
  });

  it('says when the namespace does not exist', async () => {
    await expect(
      action().handler(
        mockContext({
          entityRef: 'component:default/test-service',
          cluster: 'sandbox',
          namespace: 'no-such-namespace-here',
          serviceAccount: 'api',
          roleArn: roleArn('irsa-api'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('rejects bad input and denied namespaces before calling the cluster', async () => {
    const error = await action()
      .handler(
        mockContext({
          entityRef: 'component:default/test-service',
          cluster: 'sandbox',
          namespace: 'kube-system',
          serviceAccount: 'api',
          roleArn: 'arn:aws:iam::123:user/nope',
        }),
      )
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toContain('kube-system');
    expect(error.message).toContain('arn:aws:iam::123:user/nope');
  });
});
