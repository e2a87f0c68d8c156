import {
  ADOPTION_FIELDS,
  type RetirementPlan,
} from '@backstage-irsa/plugin-irsa-node';
import type { LoggerService } from '@backstage/backend-plugin-api';

/** The role's line of the plan: what will happen to it, and why. */
function roleLine(plan: RetirementPlan, subject: string): string {
  const role = plan.role;
  const policies = [
    role.attachedPolicyArns.length
      ? `detach ${role.attachedPolicyArns.join(', ')}`
      : 'no managed policy to detach',
    role.inlinePolicyNames.length
      ? `delete the inline ${
          role.inlinePolicyNames.length === 1 ? 'policy' : 'policies'
        } ${role.inlinePolicyNames.join(', ')}`
      : 'no inline policy to delete',
  ];
  switch (role.state) {
    case 'delete':
      return `IAM role ${
        role.roleArn
      }: delete it (nobody else may assume it): ${policies.join(
        '; ',
      )}; then delete the role`;
    case 'untrust':
      return `IAM role ${
        role.roleArn
      }: keep it, it still trusts ${role.stillTrusted.join(
        ', ',
      )}; take only ${subject} out of its trust (its policies stay)`;
    case 'keep':
      return `IAM role ${
        role.roleArn
      }: leave it as it is: it does not trust ${subject} by name on this cluster, and still trusts ${role.stillTrusted.join(
        ', ',
      )}`;
    case 'gone':
      return `IAM role ${role.roleArn}: already gone`;
    default:
      return 'IAM role: none to remove (no roleArn was given, and the ServiceAccount names no role)';
  }
}

/** The ServiceAccount's line of the plan. */
function serviceAccountLine(plan: RetirementPlan): string {
  const sa = plan.serviceAccount;
  const where = `ServiceAccount ${sa.namespace}/${sa.name} on cluster ${sa.cluster}`;
  switch (sa.state) {
    case 'delete':
      return `${where}: delete it (backstage-irsa created it for ${plan.entityRef})`;
    case 'release':
      return (
        `${where}: release it, not delete it: backstage-irsa adopted it for ${
          plan.entityRef
        }${sa.creator ? ` from ${sa.creator}` : ''}. ` +
        'A server-side apply of none of its fields, as field manager "backstage-irsa", takes back only what the adoption applied ' +
        `(${ADOPTION_FIELDS.join(
          ', ',
        )}); a field another tool also set stays, and so does every other field and its owner`
      );
    case 'keep':
      return `${where}: leave it as it is: ${sa.why}`;
    default:
      return `${where}: already gone`;
  }
}

/**
 * Writes the removal's plan to the task log: what happens to the role and to the
 * ServiceAccount, and the trust the role keeps, so a dry run shows everything first.
 */
export function logRetirementPlan(
  logger: LoggerService,
  plan: RetirementPlan,
  requester: string,
): void {
  const sa = plan.serviceAccount;
  const subject = `system:serviceaccount:${sa.namespace}:${sa.name}`;
  logger.info(
    `Removal by ${requester} of the AWS access of ${plan.entityRef}, checked before any write:\n` +
      `  1. ${roleLine(plan, subject)}\n` +
      `  2. ${serviceAccountLine(plan)}`,
  );
  if (plan.role.state === 'untrust' && plan.role.trustPolicyJson) {
    logger.info(
      `Trust policy of ${plan.role.roleName} without ${subject}:\n${plan.role.trustPolicyJson}`,
    );
  }
}
