import type { IrsaService } from '@backstage-irsa/plugin-irsa-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './createServiceAccount.examples';
import {
  clusterInput,
  entityRefInput,
  namespaceInput,
  serviceAccountInput,
} from './inputProperties';

/**
 * `k8s:create-sa`: the ServiceAccount that carries the role, annotated with
 * `eks.amazonaws.com/role-arn` and labelled for the catalog. ServiceAccounts this product
 * did not create are never changed.
 */
export function createServiceAccountAction(options: {
  irsaService: IrsaService;
}) {
  const { serviceAccounts } = options.irsaService;
  return createTemplateAction({
    id: 'k8s:create-sa',
    description:
      'Creates (or re-annotates) a Kubernetes ServiceAccount with eks.amazonaws.com/role-arn, so pods that use it receive the IAM role through IRSA.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: clusterInput,
        namespace: namespaceInput,
        serviceAccount: serviceAccountInput,
        roleArn: z =>
          z.string({
            description:
              'ARN of the IAM role, e.g. ${{ steps.role.output.roleArn }}',
          }),
        entityRef: entityRefInput,
        kubernetesId: z =>
          z
            .string({
              description:
                'Value of the backstage.io/kubernetes-id label; the entity name when omitted.',
            })
            .optional(),
      },
      output: {
        namespace: z => z.string(),
        serviceAccount: z => z.string(),
        created: z =>
          z.boolean({
            description: 'True when this run created the ServiceAccount',
          }),
      },
    },
    async handler(ctx) {
      const {
        cluster,
        namespace,
        serviceAccount,
        roleArn,
        entityRef,
        kubernetesId,
      } = ctx.input;
      const plan = await serviceAccounts.plan({
        cluster,
        namespace,
        name: serviceAccount,
        roleArn,
        entityRef,
        kubernetesId,
      });
      ctx.logger.info(
        `ServiceAccount ${namespace}/${serviceAccount} on cluster ${plan.cluster} -> ${roleArn}: ${plan.state}`,
      );
      const key = `k8s.sa.${plan.cluster}.${namespace}.${serviceAccount}`;
      if (ctx.isDryRun) {
        ctx.logger.info('Dry run: nothing was changed.');
      } else if (plan.state === 'missing') {
        await ctx.checkpoint({
          key: `${key}.create`,
          fn: () => serviceAccounts.create(plan),
        });
        ctx.logger.info('Created the ServiceAccount');
      } else if (plan.state === 'update') {
        await ctx.checkpoint({
          key: `${key}.annotate.${roleArn}`,
          fn: () => serviceAccounts.update(plan),
        });
        ctx.logger.info(
          'Updated the ServiceAccount; restart pods that use it so they pick up the role',
        );
      } else {
        ctx.logger.info(
          'Nothing to change: the ServiceAccount already carries this role',
        );
      }
      ctx.output('namespace', namespace);
      ctx.output('serviceAccount', serviceAccount);
      ctx.output('created', !ctx.isDryRun && plan.state === 'missing');
    },
  });
}
