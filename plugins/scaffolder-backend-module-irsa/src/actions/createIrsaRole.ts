import type { IrsaService } from '@backstage-irsa/plugin-irsa-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import { examples } from './createIrsaRole.examples';
import {
  accountIdInput,
  clusterInput,
  entityRefInput,
  namespaceInput,
  serviceAccountInput,
} from './inputProperties';

/**
 * `aws:irsa:create-role`: an IAM role that exactly one ServiceAccount may assume
 * (`StringEquals` on `sub` and `aud`), with the requested managed policies. Re-runs add
 * the ServiceAccount to a role this product created for the same entity; roles it did not
 * create are never touched.
 */
export function createIrsaRoleAction(options: { irsaService: IrsaService }) {
  const { roles } = options.irsaService;
  return createTemplateAction({
    id: 'aws:irsa:create-role',
    description:
      "Creates (or updates) an IAM role whose trust policy lets exactly one Kubernetes ServiceAccount assume it through the cluster's OIDC provider, and attaches managed policies allowed by the platform's guardrails.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: clusterInput,
        namespace: namespaceInput,
        serviceAccount: serviceAccountInput,
        roleName: z =>
          z.string({
            description:
              "IAM role name; the platform's prefix (irsa.guardrails.roleNamePrefix) is added when missing.",
          }),
        accountId: accountIdInput,
        policyArns: z =>
          z
            .array(z.string(), {
              description:
                'Managed policy ARNs to attach; each must be allowed by irsa.guardrails.allowedPolicyArns.',
            })
            .optional(),
        entityRef: entityRefInput,
        description: z =>
          z
            .string({ description: 'Description stored on the role' })
            .optional(),
      },
      output: {
        roleArn: z => z.string({ description: 'ARN of the role' }),
        roleName: z =>
          z.string({ description: 'Name of the role, with prefix' }),
        created: z =>
          z.boolean({ description: 'True when this run created the role' }),
      },
    },
    async handler(ctx) {
      // Validation (InputError, before any AWS call) and reads only.
      // A template renders an unset optional parameter as '': same as not given.
      const plan = await roles.plan({
        ...ctx.input,
        accountId: ctx.input.accountId || undefined,
        policyArns: ctx.input.policyArns ?? [],
      });
      const toAttach = plan.missingPolicyArns.length
        ? `; policies to attach: ${plan.missingPolicyArns.join(', ')}`
        : '';
      ctx.logger.info(
        `IAM role ${plan.roleArn} for ${ctx.input.namespace}/${ctx.input.serviceAccount}: ${plan.state}${toAttach}`,
      );
      ctx.logger.info(`Trust policy:\n${plan.trustPolicyJson}`);
      const key = `iam.role.${plan.accountId}.${plan.roleName}`;
      let roleArn = plan.roleArn;

      if (ctx.isDryRun) {
        ctx.logger.info('Dry run: nothing was changed.');
      } else {
        if (plan.state === 'missing') {
          roleArn = (
            await ctx.checkpoint({
              key: `${key}.create`,
              fn: () => roles.createRole(plan),
            })
          ).roleArn;
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
          ctx.logger.info(`Updated the trust policy of ${roleArn}`);
        }
        for (const policyArn of plan.missingPolicyArns) {
          await ctx.checkpoint({
            key: `${key}.attach.${policyArn}`,
            fn: () => roles.attachPolicy(plan, policyArn),
          });
          ctx.logger.info(`Attached ${policyArn}`);
        }
        if (plan.state === 'ready') {
          ctx.logger.info(
            'Nothing to change: the role already trusts this ServiceAccount',
          );
        }
      }

      ctx.output('roleArn', roleArn);
      ctx.output('roleName', plan.roleName);
      ctx.output('created', !ctx.isDryRun && plan.state === 'missing');
    },
  });
}
