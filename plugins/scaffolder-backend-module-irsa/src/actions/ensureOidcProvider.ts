import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runAsInitiator, type IrsaActionsOptions } from './actionContext';
import { bindingRequestOf } from './bindingInput';
import { examples } from './ensureOidcProvider.examples';
import {
  accountIdInput,
  adoptExistingInput,
  clusterInput,
  entityRefInput,
  namespaceInput,
  policyArnsInput,
  presetsInput,
  roleNameInput,
  serviceAccountInput,
  serviceAccountPatternInput,
  type ZodApi,
} from './inputProperties';
import { logPlan } from './logPlan';

/** The action's inputs, also checked at run time for names it does not take. */
const input = {
  cluster: clusterInput,
  accountId: accountIdInput,
  entityRef: entityRefInput,
  namespace: (z: ZodApi) => namespaceInput(z).optional(),
  serviceAccount: (z: ZodApi) => serviceAccountInput(z).optional(),
  serviceAccountPattern: serviceAccountPatternInput,
  roleName: (z: ZodApi) => roleNameInput(z).optional(),
  policyArns: policyArnsInput,
  presets: presetsInput, // The ServiceAccount step's opt-in, so this step's plan of it does not refuse an
  // existing ServiceAccount the later k8s:create-sa step is allowed to adopt.
  adoptExisting: adoptExistingInput,
};

/**
 * `aws:oidc:ensure`: make sure the cluster's ServiceAccount issuer is an IAM OIDC
 * identity provider in the role's AWS account, accepting audience `sts.amazonaws.com`.
 * Idempotent: an existing provider is left alone, or gets the audience added when this
 * product created it. Given the binding (namespace, serviceAccount, roleName), it plans
 * and checks the whole request first, so a request a later step would refuse writes
 * nothing at all.
 */
export function createEnsureOidcProviderAction(options: IrsaActionsOptions) {
  const { oidcProviders, bindings } = options.irsaService;
  return createTemplateAction({
    id: 'aws:oidc:ensure',
    description:
      "Registers a cluster's ServiceAccount token issuer as an IAM OIDC identity provider (audience sts.amazonaws.com) in the role's AWS account, if it is not already. The user who started the task must be allowed to request access for entityRef. With namespace, serviceAccount and roleName it checks the whole request (all later steps) before writing anything.",
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: {
        providerArn: z =>
          z.string({ description: 'ARN of the IAM OIDC identity provider' }),
        issuer: z =>
          z.string({
            description: "The cluster's issuer URL, as IAM stores it",
          }),
        created: z =>
          z.boolean({ description: 'True when this run created the provider' }),
      },
    },
    async handler(ctx) {
      const accountId = ctx.input.accountId || undefined;
      await runAsInitiator(
        options,
        ctx,
        {
          eventId: 'oidc-provider-ensure',
          severityLevel: 'medium',
          inputs: Object.keys(input),
          meta: {
            entityRef: ctx.input.entityRef,
            cluster: ctx.input.cluster,
            accountId: accountId ?? null,
          },
        },
        async (auth, record) => {
          const request = bindingRequestOf(ctx.input);
          // Reads only: with the binding, the plan of all three steps; without, the
          // provider's. A dry run and a real run report the same plan.
          const whole = request && (await bindings.plan(auth, request));
          if (whole) logPlan(ctx.logger, whole);
          const plan = whole
            ? whole.provider
            : await oidcProviders.plan(ctx.input.cluster, accountId);
          ctx.logger.info(
            `Cluster "${plan.cluster}" issuer ${plan.issuerUrl}; IAM OIDC provider ${plan.providerArn}: ${plan.state}`,
          );

          let result = oidcProviders.unchanged(plan);
          if (ctx.isDryRun) {
            if (plan.state !== 'ready') {
              ctx.logger.info(
                `Dry run: would ${
                  plan.state === 'missing'
                    ? 'create the provider'
                    : 'add audience sts.amazonaws.com'
                }; nothing was changed.`,
              );
            }
          } else if (plan.state === 'missing') {
            result = await ctx.checkpoint({
              key: `aws.oidc.create.${plan.accountId}.${plan.providerArn}`,
              fn: () => oidcProviders.create(plan),
            });
            ctx.logger.info(`Created IAM OIDC provider ${result.providerArn}`);
          } else if (plan.state === 'missing-audience') {
            result = await ctx.checkpoint({
              key: `aws.oidc.addAudience.${plan.accountId}.${plan.providerArn}`,
              fn: () => oidcProviders.addAudience(plan),
            });
            ctx.logger.info(
              `Added audience sts.amazonaws.com to ${result.providerArn}`,
            );
          } else {
            ctx.logger.info(
              'Nothing to change: the provider exists and accepts sts.amazonaws.com',
            );
          }
          record({
            providerArn: result.providerArn,
            state: plan.state,
            created: result.created,
            audienceAdded: result.audienceAdded,
          });
          ctx.output('providerArn', result.providerArn);
          ctx.output('issuer', result.issuerUrl);
          ctx.output('created', result.created);
        },
      );
    },
  });
}
