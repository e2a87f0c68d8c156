import type { BindingPlan } from '@backstage-irsa/plugin-irsa-node';
import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Writes the plan of the whole request to the task log: what each step will find and do,
 * and the exact trust policy, so a dry run shows everything before anything is written.
 */
export function logPlan(logger: LoggerService, plan: BindingPlan): void {
  const { provider, role, serviceAccount: sa } = plan;
  const roleSteps = [
    ...(role.boundaryDrifted
      ? [`put back the permissions boundary ${role.permissionsBoundaryArn}`]
      : []),
    ...(role.missingPolicyArns.length
      ? [`attach ${role.missingPolicyArns.join(', ')}`]
      : []),
    ...role.inlinePolicies
      .filter(p => p.state !== 'ready')
      .map(p => `${p.state === 'missing' ? 'write' : 'rewrite'} ${p.name}`),
  ];
  logger.info(
    `Request by ${plan.requester} for ${plan.entityRef}, checked before any write:\n` +
      `  1. IAM OIDC provider ${provider.providerArn} (account ${provider.accountId}): ${provider.state}\n` +
      `  2. IAM role ${role.roleArn}: ${role.state}` +
      `${roleSteps.length ? `; ${roleSteps.join('; ')}` : ''}\n` +
      `  3. ${
        sa
          ? `ServiceAccount ${sa.namespace}/${sa.name} on cluster ${sa.cluster}: ${sa.state}`
          : 'ServiceAccount: none (the role trusts a name pattern; matching ServiceAccounts are made by whoever deploys them)'
      }`,
  );
  logger.info(`Trust policy of ${role.roleName}:\n${role.trustPolicyJson}`);
}
