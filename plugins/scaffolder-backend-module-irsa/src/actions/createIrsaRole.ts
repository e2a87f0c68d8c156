import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import { runAsInitiator, type IrsaActionsOptions } from './actionContext';
import { bindingRequestOf } from './bindingInput';
import { examples } from './createIrsaRole.examples';
import {
  accountIdInput,
  clusterInput,
  entityRefInput,
  namespaceInput,
  policyArnsInput,
  roleNameInput,
  serviceAccountInput,
  type ZodApi,
} from './inputProperties';
import { logPlan } from './logPlan';

/** The action's inputs, also checked at run time for names it does not take. */
const input = {
  cluster: clusterInput,
  namespace: namespaceInput,
  serviceAccount: serviceAccountInput,
  roleName: roleNameInput,
  accountId: accountIdInput,
  policyArns: policyArnsInput,
  entityRef: entityRefInput,
  description: (z: ZodApi) =>
    z.string({ description: 'Description stored on the role' }).optional(),
};

/**
 * `aws:irsa:create-role`: an IAM role that exactly one ServiceAccount may assume
 * (`StringEquals` on `sub` and `aud`), with the requested managed policies. Re-runs add
 * the ServiceAccount to a role this product created for the same entity; roles it did not
 * create, or created for another entity, are never touched. The ServiceAccount step is
 * checked too before the role is written.
 */
export function createIrsaRoleAction(options: IrsaActionsOptions) {
  const { roles, bindings } = options.irsaService;
  return createTemplateAction({
    id: 'aws:irsa:create-role',
    description:
      "Creates (or updates) an IAM role whose trust policy lets exactly one Kubernetes ServiceAccount assume it through the cluster's OIDC provider, and attaches managed policies allowed by the platform's guardrails. The user who started the task must be allowed to request access for entityRef, in a namespace that entity may use.",
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: {
        roleArn: z => z.string({ description: 'ARN of the role' }),
        roleName: z =>
          z.string({ description: 'Name of the role, with prefix' }),
        created: z =>
          z.boolean({ description: 'True when this run created the role' }),
      },
    },
    async handler(ctx) {
      await runAsInitiator(
        options,
        ctx,
        {
          eventId: 'role-ensure',
          severityLevel: 'high',
          inputs: Object.keys(input),
          meta: {
            entityRef: ctx.input.entityRef,
            cluster: ctx.input.cluster,
            accountId: ctx.input.accountId || null,
            namespace: ctx.input.namespace,
            serviceAccount: ctx.input.serviceAccount,
            roleName: ctx.input.roleName,
            policyArns: ctx.input.policyArns ?? [],
          },
        },
        async (auth, record) => {
          // Validation (InputError, before any AWS call), then reads only: the role and
          // the ServiceAccount step, so nothing is written for a request either refuses.
          const whole = await bindings.plan(auth, bindingRequestOf(ctx.input)!);
          logPlan(ctx.logger, whole);
          const plan = whole.role;
          const key = `iam.role.${plan.accountId}.${plan.roleName}`;
          let roleArn = plan.roleArn;
          const changes: string[] = [];
          if (ctx.isDryRun) {
            ctx.logger.info('Dry run: nothing was changed.');
          } else {
            roles.assertProviderExists(plan);
            if (plan.state === 'missing') {
              roleArn = (
                await ctx.checkpoint({
                  key: `${key}.create`,
                  fn: () => roles.createRole(plan),
                })
              ).roleArn;
              changes.push('created');
              ctx.logger.info(`Created IAM role ${roleArn}`);
            } else if (plan.trustChanged) {
              // The hash makes a later, different trust change a new checkpoint.
              const hash = createHash('sha256')
                .update(plan.trustPolicyJson)
                .digest('hex')
                .slice(0, 16);
              await ctx.checkpoint({
                key: `${key}.trust.${hash}`,
                fn: () => roles.updateTrust(plan),
              });
              changes.push('trust-updated');
              ctx.logger.info(`Updated the trust policy of ${roleArn}`);
            }
            for (const policyArn of plan.missingPolicyArns) {
              await ctx.checkpoint({
                key: `${key}.attach.${policyArn}`,
                fn: () => roles.attachPolicy(plan, policyArn),
              });
              changes.push(`attached ${policyArn}`);
              ctx.logger.info(`Attached ${policyArn}`);
            }
            if (plan.state === 'ready') {
              ctx.logger.info(
                'Nothing to change: the role already trusts this ServiceAccount',
              );
            }
          }
          record({ roleArn, state: plan.state, changes });
          ctx.output('roleArn', roleArn);
          ctx.output('roleName', plan.roleName);
          ctx.output('created', !ctx.isDryRun && plan.state === 'missing');
        },
      );
    },
  });
}
