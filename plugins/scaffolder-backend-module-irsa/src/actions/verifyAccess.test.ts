import {
  createCheckResult,
  type VerifyResult,
} from '@backstage-irsa/plugin-irsa-common';
import {
  ClusterRegistry,
  type IrsaService,
} from '@backstage-irsa/plugin-irsa-node';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { createVerifyAccessAction } from './verifyAccess';

// The action over a mocked IrsaService: what it asks the service, how long it lets it wait,
// and how the service's answer becomes outputs or a failed step. VerifyService's waiting
// itself is tested in plugins/irsa-node (VerifyService.test.ts), the real thing in
// verifyAccess.sandbox.test.ts.

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
const ASSUMED =
  'arn:aws:sts::111111111111:assumed-role/irsa-api/backstage-irsa-verify-1';

const base = {
  cluster: 'prod',
  namespace: 'payments',
  name: 'api',
  serviceAccount: 'api',
  roleArn: ROLE,
  stsCalled: true,
  verifiedAt: '2026-01-01T12:00:00.000Z',
};
const passed: VerifyResult = {
  ...base,
  ok: true,
  assumedRoleArn: ASSUMED,
  check: createCheckResult('F3', 'pass', `AWS says you are ${ASSUMED}`),
};

function setup(
  answer: VerifyResult = passed,
  options: {
    isBinding?: boolean;
    decide?: (permission: string) => boolean;
  } = {},
) {
  const verify = jest.fn(async () => answer);
  const isBindingOf = jest.fn(async () => options.isBinding ?? true);
  const irsaService = {
    registry,
    verify: { verify },
    status: { isBindingOf },
  } as unknown as IrsaService;
  const actionOptions = testActionOptions(irsaService, {
    decide: options.decide,
  });
  const action = createVerifyAccessAction(actionOptions);
  const run = async (
    input: Record<string, unknown>,
    dryRun = false,
  ): Promise<ReturnType<typeof mockContext> & { logs: string[] }> => {
    const logger = mockServices.logger.mock();
    const ctx = {
      ...mockContext(
        {
          cluster: 'prod',
          namespace: 'payments',
          serviceAccount: 'api',
          entityRef: 'component:default/api',
          ...input,
        } as any,
        { dryRun },
      ),
      logger,
    };
    const logs = () =>
      logger.info.mock.calls.map(c => String(c[0])) as string[];
    try {
      await action.handler(ctx as any);
    } finally {
      Object.assign(ctx, { logs: logs() });
    }
    return ctx as any;
  };
  return { run, verify, isBindingOf, ...actionOptions };
}

describe('aws:irsa:verify', () => {
  it('outputs the assumed-role ARN, asking with irsa.verify and waiting 60 s by default', async () => {
    const { run, verify, isBindingOf, permissions, event } = setup();
    const ctx = await run({});
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        expect.objectContaining({
          permission: expect.objectContaining({ name: 'irsa.verify' }),
          resourceRef: 'component:default/api',
        }),
      ],
      expect.anything(),
    );
    expect(isBindingOf).toHaveBeenCalledWith(
      expect.objectContaining({ metadata: expect.anything() }),
      { cluster: 'prod', namespace: 'payments', name: 'api' },
    );
    expect(verify).toHaveBeenCalledWith(
      { cluster: 'prod', namespace: 'payments', name: 'api' },
      { waitMs: 60_000 },
    );
    expect(ctx.output).toHaveBeenCalledWith('ok', true);
    expect(ctx.output).toHaveBeenCalledWith('roleArn', ROLE);
    expect(ctx.output).toHaveBeenCalledWith('assumedRoleArn', ASSUMED);
    expect(ctx.logs).toContain(`AWS says you are ${ASSUMED}`);
    expect(event.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        ok: true,
        code: 'F3',
        assumedRoleArn: ASSUMED,
      }),
    });
  });

  it('passes waitSeconds on as the wait', async () => {
    const { run, verify } = setup();
    await run({ waitSeconds: 300 });
    expect(verify).toHaveBeenCalledWith(expect.anything(), {
      waitMs: 300_000,
    });
  });

  it("fails the step with the failing check's code, detail and fix", async () => {
    const f3 = createCheckResult(
      'F3',
      'fail',
      'STS refused: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
    const { run, event } = setup({
      ...base,
      ok: false,
      stsErrorCode: 'AccessDenied',
      check: f3,
    });
    const error = await run({}).catch(e => e);
    expect(error.name).toBe('AccessNotVerifiedError');
    expect(error.message).toBe(
      `F3 ${f3.title}: ${f3.detail} Fix: ${f3.fix} [F3: ${f3.docsUrl}]`,
    );
    expect(event.fail).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({ code: 'F3', ok: false }),
      }),
    );
  });

  it('fails with F16 when still propagating when the wait ends', async () => {
    const { run } = setup({
      ...base,
      ok: false,
      stsErrorCode: 'AccessDenied',
      check: createCheckResult('F16', 'warn', 'Propagating: …'),
    });
    await expect(run({ waitSeconds: 5 })).rejects.toThrow(/^F16 /);
  });

  it('never verifies a ServiceAccount the product does not tie to the entity', async () => {
    const { run, verify } = setup(passed, { isBinding: false });
    await expect(run({})).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'is not a ServiceAccount of component:default/api',
      ),
    });
    expect(verify).not.toHaveBeenCalled();
  });

  it('refuses a user without irsa.verify before reading anything', async () => {
    const { run, verify, isBindingOf } = setup(passed, {
      decide: permission => permission !== 'irsa.verify',
    });
    await expect(run({})).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'may not verify the AWS access of component:default/api (permission irsa.verify)',
      ),
    });
    expect(isBindingOf).not.toHaveBeenCalled();
    expect(verify).not.toHaveBeenCalled();
  });

  it('calls nothing in a dry run, and says what it would verify', async () => {
    const { run, verify, isBindingOf } = setup();
    const ctx = await run({ waitSeconds: 90 }, true);
    expect(verify).not.toHaveBeenCalled();
    expect(isBindingOf).not.toHaveBeenCalled();
    expect(ctx.logs.join('\n')).toContain(
      'Dry run: would verify that payments/api on cluster prod can become its role for component:default/api',
    );
    expect(ctx.logs.join('\n')).toContain('waiting up to 90 s');
  });

  it.each([
    [
      { waitSeconds: 301 },
      'waitSeconds: a whole number of seconds from 0 to 300',
    ],
    [{ waitSeconds: 1.5 }, 'waitSeconds:'],
    [{ namespace: 'Not_A_Namespace' }, 'namespace:'],
    [{ accountId: '12' }, 'accountId:'],
    [{ cluster: 'nope' }, 'Unknown IRSA cluster'],
    [{ acountId: '111111111111' }, 'not an input of this action'],
  ])('refuses %j before any call', async (input, message) => {
    const { run, verify, isBindingOf } = setup();
    await expect(run(input)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(isBindingOf).not.toHaveBeenCalled();
    expect(verify).not.toHaveBeenCalled();
  });

  it('fails when the role is in another account than the template asked', async () => {
    const { run } = setup();
    await expect(run({ accountId: '222222222222' })).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'in account 111111111111, not in account 222222222222',
      ),
    });
  });
});
