import { ClusterRegistry } from '@backstage-irsa/plugin-irsa-node';
import type { IrsaService } from '@backstage-irsa/plugin-irsa-node';
import { ConfigReader } from '@backstage/config';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { runAsInitiator } from './actionContext';

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
const irsaService = { registry } as unknown as IrsaService;
const audit = {
  eventId: 'role-ensure',
  severityLevel: 'high' as const,
  meta: { entityRef: 'component:default/api' },
};

describe('runAsInitiator', () => {
  it('audits a run as the initiator, with what it did', async () => {
    const options = testActionOptions(irsaService);
    const ctx = mockContext({ entityRef: 'component:default/api' });
    const body = jest.fn(async (_auth, record) => record({ roleArn: 'arn' }));
    await runAsInitiator(options, ctx, audit, body);
    expect(body).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/api',
        requester: 'user:default/mock',
      }),
      expect.any(Function),
    );
    expect(options.auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'role-ensure',
      severityLevel: 'high',
      meta: {
        entityRef: 'component:default/api',
        actor: 'user:default/mock',
        taskId: 'mock-task-id',
        dryRun: false,
      },
    });
    expect(options.event.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({ roleArn: 'arn' }),
    });
  });

  it('refuses a user without the permission before the body runs, audits it, and keeps stack frames out of the task log', async () => {
    const options = testActionOptions(irsaService, { decide: () => false });
    const ctx = mockContext({ entityRef: 'component:default/api' });
    const body = jest.fn();
    const error = await runAsInitiator(options, ctx, audit, body).catch(e => e);
    expect(body).not.toHaveBeenCalled();
    expect(error.name).toBe('NotAllowedError');
    expect(error.stack).toBe(`NotAllowedError: ${error.message}`);
    expect(options.event.fail).toHaveBeenCalledWith({
      error,
      meta: expect.objectContaining({ actor: 'user:default/mock' }),
    });
  });

  it('refuses a missing entity ref as bad input', async () => {
    const options = testActionOptions(irsaService);
    const error = await runAsInitiator(
      options,
      mockContext({}),
      audit,
      jest.fn(),
    ).catch(e => e);
    expect(error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('is empty'),
    });
  });

  it('refuses an input the action does not take (a typo in a template) before anything else', async () => {
    const options = testActionOptions(irsaService);
    const authorize = jest.spyOn(options.authorizer, 'authorizeBinding');
    const body = jest.fn();
    const error = await runAsInitiator(
      options,
      mockContext({ entityRef: 'component:default/api', acountId: '1' }),
      { ...audit, inputs: ['entityRef', 'accountId'] },
      body,
    ).catch(e => e);
    expect(body).not.toHaveBeenCalled();
    expect(authorize).not.toHaveBeenCalled();
    expect(error).toMatchObject({
      name: 'InputError',
      message:
        '"acountId": not an input of this action; its inputs are entityRef, accountId.',
    });
  });
});
