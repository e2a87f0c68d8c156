import type { IrsaService } from '@backstage-irsa/plugin-irsa-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './ensureOidcProvider.examples';
import { accountIdInput, clusterInput } from './inputProperties';

/**
 * `aws:oidc:ensure`: make sure the cluster's ServiceAccount issuer is an IAM OIDC
 * identity provider in the cluster's AWS account, accepting audience
 * `sts.amazonaws.com`. Idempotent: an existing provider is left alone, or gets the
 * audience added when this product created it.
 */
export function createEnsureOidcProviderAction(options: {
  irsaService: IrsaService;
}) {
  const { oidcProviders } = options.irsaService;
  return createTemplateAction({
    id: 'aws:oidc:ensure',
    description:
      "Registers a cluster's ServiceAccount token issuer as an IAM OIDC identity provider (audience sts.amazonaws.com) in the cluster's AWS account, if it is not already.",
    examples,
    supportsDryRun: true,
    schema: {
      input: { cluster: clusterInput, accountId: accountIdInput },
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
      // Reads only: resolves the issuer (config or eks:DescribeCluster) and looks the
      // provider up, so a dry run and a real run report the same plan.
      // A template renders an unset optional parameter as '': same as not given.
      const plan = await oidcProviders.plan(
        ctx.input.cluster,
        ctx.input.accountId || undefined,
      );
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

      ctx.output('providerArn', result.providerArn);
      ctx.output('issuer', result.issuerUrl);
      ctx.output('created', result.created);
    },
  });
}
