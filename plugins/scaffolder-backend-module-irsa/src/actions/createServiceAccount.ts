import {
  afterAdoptionNote,
  assertNamespaceOfEntity,
  type ServiceAccountPlan,
} from '@backstage-irsa/plugin-irsa-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runAsInitiator, type IrsaActionsOptions } from './actionContext';
import { examples } from './createServiceAccount.examples';
import {
  adoptExistingInput,
  clusterInput,
  entityRefInput,
  namespaceInput,
  serviceAccountInput,
  type ZodApi,
} from './inputProperties';

/** The action's inputs, also checked at run time for names it does not take. */
const input = {
  cluster: clusterInput,
  namespace: namespaceInput,
  serviceAccount: serviceAccountInput,
  roleArn: (z: ZodApi) =>
    z.string({
      description: 'ARN of the IAM role, e.g. ${{ steps.role.output.roleArn }}',
    }),
  entityRef: entityRefInput,
  kubernetesId: (z: ZodApi) =>
    z
      .string({
        description:
          'Value of the backstage.io/kubernetes-id label; the entity name when omitted.',
      })
      .optional(),
  adoptExisting: adoptExistingInput,
};

/** The task log's account of an adoption: what is applied, to what, and what comes next. */
function logAdoption(
  logger: LoggerService,
  plan: ServiceAccountPlan,
  dryRun: boolean,
) {
  const adoption = plan.adoption!;
  const fields = [
    ...Object.entries(plan.annotations).map(([k, v]) => `annotation ${k}=${v}`),
    ...Object.entries(plan.labels).map(([k, v]) => `label ${k}=${v}`),
  ];
  let creator = 'someone else';
  if (adoption.helmRelease) creator = `Helm release "${adoption.helmRelease}"`;
  else if (adoption.managedBy) creator = `"${adoption.managedBy}"`;
  const lines = [
    `${dryRun ? 'Dry run: would adopt' : 'Adopting'} ServiceAccount ${
      plan.namespace
    }/${plan.name} (created by ${creator}) for ${
      adoption.entityRef
    }, with a server-side apply as field manager "backstage-irsa" of only:`,
    ...fields.map(f => `  ${f}`),
    'Every other field, and the fields each other manager owns, stay as they are.',
  ];
  if (adoption.replacesRoleArn) {
    lines.push(
      `It replaces role ${adoption.replacesRoleArn}, a role backstage-irsa made for the same entity.`,
    );
  }
  if (adoption.keptKubernetesId) {
    lines.push(
      `Its backstage.io/kubernetes-id label keeps its value "${adoption.keptKubernetesId}".`,
    );
  }
  logger.info(lines.join('\n'));
  logger.info(afterAdoptionNote(adoption, plan.roleArn));
}

/**
 * `k8s:create-sa`: the ServiceAccount that carries the role, annotated with
 * `eks.amazonaws.com/role-arn` and labelled for the catalog. Only for the requester's
 * entity, in a namespace it may use, pointing at a role this product made for it;
 * ServiceAccounts this product did not create are changed only when the template opts in
 * with `adoptExisting` (then only the role annotation and the ownership record, by
 * server-side apply), and those it created or adopted for another entity never.
 */
export function createServiceAccountAction(options: IrsaActionsOptions) {
  const { serviceAccounts, roles, registry } = options.irsaService;
  return createTemplateAction({
    id: 'k8s:create-sa',
    description:
      "Creates (or re-annotates) a Kubernetes ServiceAccount with eks.amazonaws.com/role-arn, so pods that use it receive the IAM role through IRSA. The user who started the task must be allowed to request access for entityRef; the namespace must be one the entity may use and the role one backstage-irsa created for the entity. A ServiceAccount backstage-irsa did not create (e.g. a Helm chart's) is refused unless adoptExisting is true.",
    examples,
    supportsDryRun: true,
    schema: {
      input,
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
      const { cluster, namespace, serviceAccount, roleArn } = ctx.input;
      await runAsInitiator(
        options,
        ctx,
        {
          eventId: 'service-account-ensure',
          severityLevel: 'high',
          inputs: Object.keys(input),
          meta: {
            entityRef: ctx.input.entityRef,
            cluster,
            namespace,
            serviceAccount,
            roleArn,
          },
        },
        async (auth, record) => {
          const request = {
            cluster,
            namespace,
            name: serviceAccount,
            roleArn,
            entityRef: auth.entityRef,
            kubernetesId: ctx.input.kubernetesId || undefined,
            adoptExisting: ctx.input.adoptExisting === true,
          };
          // Input problems all at once, then whose namespace it is, then reads.
          serviceAccounts.validate(request);
          assertNamespaceOfEntity(
            registry,
            auth.entity,
            auth.entityRef,
            namespace,
          );
          const plan = await serviceAccounts.plan(request);
          try {
            await roles.assertRoleOfEntity(roleArn, auth.entityRef, cluster);
          } catch (e) {
            // A dry run of the whole template plans a role that does not exist yet.
            if (!(ctx.isDryRun && isError(e) && e.name === 'NotFoundError')) {
              throw e;
            }
          }
          ctx.logger.info(
            `ServiceAccount ${namespace}/${serviceAccount} on cluster ${plan.cluster} -> ${roleArn}: ${plan.state}`,
          );
          if (plan.state === 'adopt') {
            logAdoption(ctx.logger, plan, Boolean(ctx.isDryRun));
          }
          const key = `k8s.sa.${plan.cluster}.${namespace}.${serviceAccount}`;
          if (ctx.isDryRun) {
            ctx.logger.info('Dry run: nothing was changed.');
          } else if (plan.state === 'adopt') {
            await ctx.checkpoint({
              key: `${key}.adopt.${roleArn}`,
              fn: () => serviceAccounts.adopt(plan),
            });
            ctx.logger.info(
              `Adopted the ServiceAccount for ${auth.entityRef}: recorded as annotation irsa.backstage.io/adopted-by=${auth.entityRef}, ` +
                'so only this entity may change it from now on. Restart the pods that use it so they pick up the role.',
            );
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
          record({
            state: plan.state,
            ...(plan.adoption
              ? {
                  adoptedFrom:
                    plan.adoption.helmRelease ??
                    plan.adoption.managedBy ??
                    'unmanaged',
                }
              : {}),
          });
          ctx.output('namespace', namespace);
          ctx.output('serviceAccount', serviceAccount);
          ctx.output('created', !ctx.isDryRun && plan.state === 'missing');
        },
      );
    },
  });
}
