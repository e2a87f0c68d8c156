import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import { runAsInitiator, type IrsaActionsOptions } from './actionContext';
import { examples } from './deleteIrsaRole.examples';
import {
  clusterInput,
  namespaceInput,
  serviceAccountInput,
  type ZodApi,
} from './inputProperties';
import { logRetirementPlan } from './logRetirementPlan';

/** The action's inputs, also checked at run time for names it does not take. */
const input = {
  cluster: clusterInput,
  namespace: namespaceInput,
  serviceAccount: serviceAccountInput,
  roleArn: (z: ZodApi) =>
    z
      .string({
        description:
          'ARN of the IAM role to remove, e.g. "arn:aws:iam::123456789012:role/irsa/irsa-payments-api"; when omitted (or empty), the role the ServiceAccount\'s eks.amazonaws.com/role-arn annotation names. Only a role backstage-irsa created for entityRef, in an account the cluster may use, is removed.',
      })
      .optional(),
  entityRef: (z: ZodApi) =>
    z
      .string({
        description:
          'Catalog entity whose access is removed, e.g. "component:default/payments-api" (required). The user who started the task must hold irsa.binding.delete on it (by default: be an owner, or one of the platform\'s retirers, who may also remove the access of an entity that has left the catalog).',
      })
      .min(1),
};

/** A short digest of a document, for checkpoint keys that change with it. */
function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * `aws:irsa:delete-role`: removes one ServiceAccount's AWS access, the way "Request AWS
 * access" gave it, and only what backstage-irsa made for the same entity. The role is deleted
 * (managed policies detached, inline policies deleted first) when nobody else may assume it;
 * when it still trusts other ServiceAccounts, only this one is taken out of its trust. The
 * ServiceAccount is deleted when backstage-irsa created it, released (only the adoption's
 * fields taken back, never deleted) when it adopted it, and refused when it is anybody
 * else's and uses the role. Everything is planned with reads before the first write; what is
 * already gone counts as done, so a second run writes nothing.
 */
export function createDeleteIrsaRoleAction(options: IrsaActionsOptions) {
  const { retirement } = options.irsaService;
  return createTemplateAction({
    id: 'aws:irsa:delete-role',
    description:
      "Removes a ServiceAccount's AWS access: deletes the IAM role backstage-irsa created for the entity (detaching its managed policies and deleting its inline policies first), or, when the role still trusts other ServiceAccounts, only takes this one out of its trust; then deletes the ServiceAccount backstage-irsa created, or releases one it adopted (only the fields the adoption applied are taken back). Roles and ServiceAccounts of other entities, or not made by backstage-irsa, are never changed. Idempotent; the user who started the task must hold irsa.binding.delete on entityRef.",
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: {
        roleArn: z =>
          z.string({
            description:
              'ARN of the role the removal was about; empty when there was none',
          }),
        roleDeleted: z =>
          z.boolean({ description: 'True when this run deleted the role' }),
        trustUpdated: z =>
          z.boolean({
            description:
              "True when this run took the ServiceAccount out of the role's trust and kept the role (it still trusts others)",
          }),
        serviceAccountDeleted: z =>
          z.boolean({
            description: 'True when this run deleted the ServiceAccount',
          }),
        serviceAccountReleased: z =>
          z.boolean({
            description:
              'True when this run took back the fields of an adopted ServiceAccount (which stays)',
          }),
      },
    },
    async handler(ctx) {
      const { cluster, namespace, serviceAccount } = ctx.input;
      // A template renders an unset optional parameter as '', which counts as not given.
      const roleArnInput = ctx.input.roleArn || undefined;
      await runAsInitiator(
        options,
        ctx,
        {
          eventId: 'binding-retire',
          severityLevel: 'high',
          inputs: Object.keys(input),
          meta: {
            entityRef: ctx.input.entityRef,
            cluster,
            namespace,
            serviceAccount,
            roleArn: roleArnInput ?? null,
          },
          authorize: (ref, credentials) =>
            options.authorizer.authorizeRetirement(ref, credentials),
        },
        async (auth, record) => {
          if (!auth.entity) {
            ctx.logger.info(
              `${auth.entityRef} is not in the catalog (an orphaned binding); ${auth.requester} may remove its access (irsa.binding.delete).`,
            );
          }
          // Input problems, then reads only: every refusal comes before the first write.
          const plan = await retirement.plan({
            cluster,
            namespace,
            serviceAccount,
            roleArn: roleArnInput,
            entityRef: auth.entityRef,
          });
          logRetirementPlan(ctx.logger, plan, auth.requester);
          const { role, serviceAccount: sa } = plan;
          const changes: string[] = [];
          if (ctx.isDryRun) {
            ctx.logger.info('Dry run: nothing was changed.');
          } else {
            const key = `iam.role.${role.accountId}.${role.roleName}.retire`;
            if (role.state === 'delete') {
              for (const policyArn of role.attachedPolicyArns) {
                await ctx.checkpoint({
                  key: `${key}.detach.${policyArn}`,
                  fn: () => retirement.detachPolicy(role, policyArn),
                });
                changes.push(`detached ${policyArn}`);
                ctx.logger.info(`Detached ${policyArn} from ${role.roleName}`);
              }
              for (const name of role.inlinePolicyNames) {
                await ctx.checkpoint({
                  key: `${key}.inline.${name}`,
                  fn: () => retirement.deleteInlinePolicy(role, name),
                });
                changes.push(`deleted inline policy ${name}`);
                ctx.logger.info(
                  `Deleted the inline policy ${name} of ${role.roleName}`,
                );
              }
              await ctx.checkpoint({
                key: `${key}.delete`,
                fn: () => retirement.deleteRole(role),
              });
              changes.push('deleted role');
              ctx.logger.info(`Deleted IAM role ${role.roleArn}`);
            } else if (role.state === 'untrust') {
              // The hash makes a later, different trust change a new checkpoint.
              await ctx.checkpoint({
                key: `${key}.trust.${hashOf(role.trustPolicyJson ?? '')}`,
                fn: () => retirement.removeFromTrust(role),
              });
              changes.push('trust-updated');
              ctx.logger.info(
                `Took ${namespace}/${serviceAccount} out of the trust of ${
                  role.roleArn
                }; the role stays for ${role.stillTrusted.join(', ')}`,
              );
            }
            if (sa.state === 'delete' || sa.state === 'release') {
              const { kept } = await ctx.checkpoint({
                key: `k8s.sa.${sa.cluster}.${sa.namespace}.${sa.name}.retire.${sa.state}.${sa.uid}`,
                fn: () => retirement.retireServiceAccount(sa),
              });
              changes.push(
                sa.state === 'delete'
                  ? 'deleted ServiceAccount'
                  : 'released ServiceAccount',
              );
              ctx.logger.info(
                sa.state === 'delete'
                  ? `Deleted ServiceAccount ${sa.namespace}/${sa.name}`
                  : `Released ServiceAccount ${sa.namespace}/${sa.name}: backstage-irsa no longer manages any of its fields, and it is no longer listed for ${plan.entityRef}`,
              );
              if (kept.length > 0) {
                ctx.logger.warn(
                  `ServiceAccount ${sa.namespace}/${sa.name} keeps ${kept.join(
                    ', ',
                  )}: another tool also sets ${
                    kept.length === 1 ? 'it' : 'them'
                  } (Helm's chart values, say), so only that tool can remove ${
                    kept.length === 1 ? 'it' : 'them'
                  }.`,
                );
              }
            }
            if (changes.length === 0) {
              ctx.logger.info(
                'Nothing to change: nothing of this access is left to remove',
              );
            }
          }
          record({
            roleArn: role.roleArn ?? null,
            role: role.state,
            serviceAccountState: sa.state,
            changes,
          });
          const done = (what: string) =>
            !ctx.isDryRun && changes.includes(what);
          ctx.output('roleArn', role.roleArn ?? '');
          ctx.output('roleDeleted', done('deleted role'));
          ctx.output('trustUpdated', done('trust-updated'));
          ctx.output('serviceAccountDeleted', done('deleted ServiceAccount'));
          ctx.output('serviceAccountReleased', done('released ServiceAccount'));
        },
      );
    },
  });
}
