import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import { runAsInitiator, type IrsaActionsOptions } from './actionContext';
import { bindingRequestOf } from './bindingInput';
import { examples } from './createIrsaRole.examples';
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

/** A short digest of a document, for checkpoint keys that change with it. */
function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The action's inputs, also checked at run time for names it does not take. */
const input = {
  cluster: clusterInput,
  namespace: namespaceInput,
  serviceAccount: (z: ZodApi) => serviceAccountInput(z).optional(),
  serviceAccountPattern: serviceAccountPatternInput,
  roleName: roleNameInput,
  accountId: accountIdInput,
  policyArns: policyArnsInput,
  presets: presetsInput,
  entityRef: entityRefInput,
  description: (z: ZodApi) =>
    z.string({ description: 'Description stored on the role' }).optional(), // The ServiceAccount step's opt-in, so this step's plan of it does not refuse an
  // existing ServiceAccount the later k8s:create-sa step is allowed to adopt.
  adoptExisting: adoptExistingInput,
};

/**
 * `aws:irsa:create-role`: an IAM role that exactly one ServiceAccount may assume
 * (`StringEquals` on `sub` and `aud`; `StringLike` for a pattern the guardrails allow),
 * with the requested managed policies and the presets' policies. Re-runs add the
 * ServiceAccount (or cluster) to a role this product created for the same entity and
 * restore what drifted; roles it did not create, or created for another entity, are never
 * touched. The ServiceAccount step is checked too before the role is written. Writes run
 * in this order: create or trust, boundary, managed policies, inline policies (the manager
 * policy allows attaching only to bounded roles).
 */
export function createIrsaRoleAction(options: IrsaActionsOptions) {
  const { roles, bindings } = options.irsaService;
  return createTemplateAction({
    id: 'aws:irsa:create-role',
    description:
      "Creates (or updates) an IAM role whose trust policy lets exactly one Kubernetes ServiceAccount (or, where the platform allows it, a name pattern in one namespace) assume it through the cluster's OIDC provider, attaches managed policies allowed by the platform's guardrails, and writes the inline policies of the platform's presets. A re-run with the same inputs repairs what drifted (trust, detached policies, changed or deleted preset policies, a removed permissions boundary) and writes nothing when nothing did. The user who started the task must be allowed to request access for entityRef, in a namespace that entity may use.",
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
            serviceAccount: ctx.input.serviceAccount ?? null,
            serviceAccountPattern: ctx.input.serviceAccountPattern || null,
            roleName: ctx.input.roleName,
            policyArns: ctx.input.policyArns ?? [],
            // Preset names and parameter values (resource names): no secrets.
            presets: (ctx.input.presets ?? []).map(p => ({
              name: p.name,
              parameters: p.parameters ?? {},
            })),
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
              await ctx.checkpoint({
                key: `${key}.trust.${hashOf(plan.trustPolicyJson)}`,
                fn: () => roles.updateTrust(plan),
              });
              changes.push('trust-updated');
              ctx.logger.info(`Updated the trust policy of ${roleArn}`);
            }
            if (plan.boundaryDrifted && plan.permissionsBoundaryArn) {
              // First: attaching and inline writes are allowed only on bounded roles.
              await ctx.checkpoint({
                key: `${key}.boundary.${plan.permissionsBoundaryArn}`,
                fn: () => roles.restoreBoundary(plan),
              });
              changes.push('boundary-restored');
              ctx.logger.info(
                `Put the permissions boundary ${plan.permissionsBoundaryArn} back on ${roleArn}`,
              );
            }
            for (const policyArn of plan.missingPolicyArns) {
              await ctx.checkpoint({
                key: `${key}.attach.${policyArn}`,
                fn: () => roles.attachPolicy(plan, policyArn),
              });
              changes.push(`attached ${policyArn}`);
              ctx.logger.info(`Attached ${policyArn}`);
            }
            for (const policy of plan.inlinePolicies) {
              if (policy.state === 'ready') continue;
              // The hash makes a later, different document a new checkpoint.
              await ctx.checkpoint({
                key: `${key}.inline.${policy.name}.${hashOf(
                  policy.documentJson,
                )}`,
                fn: () => roles.putInlinePolicy(plan, policy.name),
              });
              changes.push(
                `${policy.state === 'missing' ? 'wrote' : 'restored'} ${
                  policy.name
                }`,
              );
              ctx.logger.info(
                `${
                  policy.state === 'missing'
                    ? 'Wrote'
                    : 'Rewrote (it had changed)'
                } the inline policy ${policy.name}:\n${policy.documentJson}`,
              );
            }
            if (plan.state === 'ready') {
              ctx.logger.info(
                'Nothing to change: the role already trusts this ServiceAccount and has its policies',
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
