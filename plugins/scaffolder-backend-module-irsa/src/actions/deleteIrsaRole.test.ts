import {
  ClusterRegistry,
  type IrsaService,
  type RetirementPlan,
} from '@backstage-irsa/plugin-irsa-node';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { createDeleteIrsaRoleAction } from './deleteIrsaRole';

// The action's glue, with the RetirementService mocked: who is asked, what is written in
// which order under which checkpoint, what a dry run skips, what is audited. The removal
// itself is proved against the sandbox (deleteIrsaRole.sandbox.test.ts).

const registry = ClusterRegistry.fromConfig(
  new ConfigReader({
    irsa: {
      clusters: [
        {
          name: 'prod',
          accountId: '111111111111',
          region: 'eu-west-1',
          eksClusterName: 'prod',
          kubernetes: { url: 'https://k8s.example.com' },
        },
      ],
    },
  }),
);
const ROLE = 'arn:aws:iam::111111111111:role/irsa/irsa-api';
const ENTITY = 'component:default/api';

function planOf(overrides: Partial<RetirementPlan> = {}): RetirementPlan {
  return {
    entityRef: ENTITY,
    role: {
      state: 'delete',
      roleArn: ROLE,
      roleName: 'irsa-api',
      accountId: '111111111111',
      region: 'eu-west-1',
      attachedPolicyArns: ['arn:aws:iam::aws:policy/S3'],
      inlinePolicyNames: ['preset-s3'],
      trustPolicyJson: '{}',
      stillTrusted: [],
    },
    serviceAccount: {
      state: 'delete',
      cluster: 'prod',
      namespace: 'payments',
      name: 'api',
      entityRef: ENTITY,
      roleArn: ROLE,
      uid: 'uid-1',
      resourceVersion: '7',
    },
    ...overrides,
  };
}

function setup(plan: RetirementPlan, decide?: () => boolean) {
  const calls: string[] = [];
  const retirement = {
    plan: jest.fn(async () => plan),
    detachPolicy: jest.fn(async (_p, arn: string) => {
      calls.push(`detach ${arn}`);
    }),
    deleteInlinePolicy: jest.fn(async (_p, name: string) => {
      calls.push(`inline ${name}`);
    }),
    deleteRole: jest.fn(async () => {
      calls.push('delete role');
    }),
    removeFromTrust: jest.fn(async () => {
      calls.push('trust');
    }),
    retireServiceAccount: jest.fn(async () => {
      calls.push('sa');
      return { kept: [] };
    }),
  };
  const options = testActionOptions(
    { registry, retirement } as unknown as IrsaService,
    {
      decide:
        decide &&
        ((permission: string) =>
          permission !== 'irsa.binding.delete' || decide()),
    },
  );
  const action = createDeleteIrsaRoleAction(options);
  return { action, options, retirement, calls };
}

function context(input: Record<string, unknown>, dryRun = false) {
  const logger = mockServices.logger.mock();
  const ctx = { ...mockContext(input as any, { dryRun }), logger };
  const keys: string[] = [];
  ctx.checkpoint = jest.fn(async ({ key, fn }: any) => {
    keys.push(key);
    return fn();
  }) as any;
  return { ctx, keys, logger };
}

const input = {
  cluster: 'prod',
  namespace: 'payments',
  serviceAccount: 'api',
  entityRef: ENTITY,
  roleArn: '',
};

describe('aws:irsa:delete-role', () => {
  it('asks for irsa.binding.delete, then detaches, deletes the inline policies, the role and the ServiceAccount, each in a checkpoint', async () => {
    const { action, options, retirement, calls } = setup(planOf());
    const { ctx, keys, logger } = context(input);
    await action.handler(ctx as any);

    expect(options.permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({ name: 'irsa.binding.delete' }),
          resourceRef: ENTITY,
        },
      ],
      expect.anything(),
    );
    // '' (an unset template parameter) is no role ARN.
    expect(retirement.plan).toHaveBeenCalledWith({
      cluster: 'prod',
      namespace: 'payments',
      serviceAccount: 'api',
      roleArn: undefined,
      entityRef: ENTITY,
    });
    expect(calls).toEqual([
      'detach arn:aws:iam::aws:policy/S3',
      'inline preset-s3',
      'delete role',
      'sa',
    ]);
    expect(keys).toEqual([
      'iam.role.111111111111.irsa-api.retire.detach.arn:aws:iam::aws:policy/S3',
      'iam.role.111111111111.irsa-api.retire.inline.preset-s3',
      'iam.role.111111111111.irsa-api.retire.delete',
      'k8s.sa.prod.payments.api.retire.delete.uid-1',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('roleArn', ROLE);
    expect(ctx.output).toHaveBeenCalledWith('roleDeleted', true);
    expect(ctx.output).toHaveBeenCalledWith('serviceAccountDeleted', true);
    expect(ctx.output).toHaveBeenCalledWith('trustUpdated', false);
    const logs = logger.info.mock.calls.map(c => String(c[0])).join('\n');
    expect(logs).toContain(
      `IAM role ${ROLE}: delete it (nobody else may assume it): detach arn:aws:iam::aws:policy/S3; delete the inline policy preset-s3; then delete the role`,
    );
    expect(logs).toContain(`Deleted IAM role ${ROLE}`);
    expect(options.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'binding-retire',
        severityLevel: 'high',
      }),
    );
    expect(options.event.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        role: 'delete',
        serviceAccountState: 'delete',
        changes: [
          'detached arn:aws:iam::aws:policy/S3',
          'deleted inline policy preset-s3',
          'deleted role',
          'deleted ServiceAccount',
        ],
      }),
    });
  });

  it('plans and logs in a dry run, and writes nothing', async () => {
    const { action, calls } = setup(planOf());
    const { ctx, keys, logger } = context(input, true);
    await action.handler(ctx as any);
    expect(calls).toEqual([]);
    expect(keys).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('roleDeleted', false);
    expect(logger.info).toHaveBeenCalledWith('Dry run: nothing was changed.');
  });

  it('only takes the ServiceAccount out of a role that still trusts others, and releases an adopted one', async () => {
    const plan = planOf();
    const { action, calls } = setup({
      ...plan,
      role: {
        ...plan.role,
        state: 'untrust',
        attachedPolicyArns: [],
        inlinePolicyNames: [],
        stillTrusted: ['system:serviceaccount:payments:worker via h'],
      },
      serviceAccount: { ...plan.serviceAccount, state: 'release' },
    });
    const { ctx, keys } = context(input);
    await action.handler(ctx as any);
    expect(calls).toEqual(['trust', 'sa']);
    expect(keys[0]).toMatch(
      /^iam\.role\.111111111111\.irsa-api\.retire\.trust\.[0-9a-f]{16}$/,
    );
    expect(ctx.output).toHaveBeenCalledWith('trustUpdated', true);
    expect(ctx.output).toHaveBeenCalledWith('serviceAccountReleased', true);
  });

  it('says so when nothing is left, and writes nothing', async () => {
    const plan = planOf();
    const { action, calls } = setup({
      ...plan,
      role: { ...plan.role, state: 'gone' },
      serviceAccount: { ...plan.serviceAccount, state: 'gone' },
    });
    const { ctx, logger } = context(input);
    await action.handler(ctx as any);
    expect(calls).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(
      'Nothing to change: nothing of this access is left to remove',
    );
  });

  it('refuses a user without irsa.binding.delete before planning, and an unknown input', async () => {
    const denied = setup(planOf(), () => false);
    await expect(
      denied.action.handler(context(input).ctx as any),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('may not remove the AWS access'),
    });
    expect(denied.retirement.plan).not.toHaveBeenCalled();
    expect(denied.options.event.fail).toHaveBeenCalled();

    const typo = setup(planOf());
    await expect(
      typo.action.handler(
        context({ ...input, roleName: 'irsa-api' }).ctx as any,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('"roleName": not an input'),
    });
    expect(typo.retirement.plan).not.toHaveBeenCalled();
  });

  it('lets an allowed user remove the access of an entity that left the catalog, saying so', async () => {
    const { action, options, calls } = setup(planOf());
    options.catalog.getEntityByRef.mockResolvedValue(undefined);
    const { ctx, logger } = context(input);
    await action.handler(ctx as any);
    expect(calls).toHaveLength(4);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        `${ENTITY} is not in the catalog (an orphaned binding)`,
      ),
    );
  });
});
