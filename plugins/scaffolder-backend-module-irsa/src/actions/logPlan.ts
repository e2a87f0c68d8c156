import type { BindingPlan } from '@backstage-irsa/plugin-irsa-node';
import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Writes the plan of the whole request to the task log: what each step will find and do,
 * and the exact trust policy, so a dry run shows everything before anything is written.
 */
export function logPlan(logger: LoggerService, plan: BindingPlan): void {
  const { provider, role, serviceAccount: sa } = plan;
  logger.info(
    `Request by ${plan.requester} for ${plan.entityRef}, checked before any write:\n` +
      `  1. IAM OIDC provider ${provider.providerArn} (account ${provider.accountId}): ${provider.state}\n` +
      `  2. IAM role ${role.roleArn}: ${role.state}` +
      `${
        role.missingPolicyArns.length
          ? `; attach ${role.missingPolicyArns.join(', ')}`
          : ''
      }\n` +
      `  3. ServiceAccount ${sa.namespace}/${sa.name} on cluster ${sa.cluster}: ${sa.state}`,
  );
  logger.info(`Trust policy of ${role.roleName}:\n${role.trustPolicyJson}`);
}
