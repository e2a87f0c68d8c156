import { testRegistry } from '../__testUtils__/testRegistry';
import type { AwsGatewayFactory } from './gateways';
import { type RolePlan, RoleService } from './RoleService';

const plan = {
  accountId: '111111111111',
  region: 'eu-west-1',
  roleName: 'irsa-api',
  trustPolicyJson: '{"Version":"2012-10-17","Statement":[]}',
} as RolePlan;

function serviceWith(tagRole: () => Promise<void>) {
  const calls: unknown[][] = [];
  const gateways = {
    iam: async () => ({
      updateTrustPolicy: async (...args: unknown[]) => {
        calls.push(['updateTrustPolicy', ...args]);
      },
      tagRole: async (...args: unknown[]) => {
        calls.push(['tagRole', ...args]);
        return tagRole();
      },
    }),
  } as unknown as AwsGatewayFactory;
  return { calls, roles: new RoleService(testRegistry(), gateways) };
}

describe('RoleService.updateTrust', () => {
  const now = new Date('2026-01-01T12:00:00Z');

  it('stamps the time of the trust change on the role after writing it (F16)', async () => {
    const { calls, roles } = serviceWith(async () => {});
    await roles.updateTrust(plan, now);
    expect(calls).toEqual([
      ['updateTrustPolicy', 'irsa-api', plan.trustPolicyJson],
      [
        'tagRole',
        'irsa-api',
        { 'backstage-irsa:trust-updated-at': '2026-01-01T12:00:00.000Z' },
      ],
    ]);
  });

  it('keeps the written trust when the stamp is refused (an older manager policy)', async () => {
    const { calls, roles } = serviceWith(async () => {
      throw new Error('NotAllowedError: iam:TagRole');
    });
    await expect(roles.updateTrust(plan, now)).resolves.toBeUndefined();
    expect(calls.map(c => c[0])).toEqual(['updateTrustPolicy', 'tagRole']);
  });
});
