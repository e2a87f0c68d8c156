import {
  accountIdProblems,
  type CheckResult,
  irsaVerifyPermission,
  namespaceProblems,
  parseRoleArn,
  type Problem,
  serviceAccountNameProblems,
} from '@backstage-irsa/plugin-irsa-common';
import {
  MAX_VERIFY_WAIT_SECONDS,
  throwInputProblems,
} from '@backstage-irsa/plugin-irsa-node';
import {
  CustomErrorBase,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runAsInitiator, type IrsaActionsOptions } from './actionContext';
import {
  clusterInput,
  namespaceInput,
  serviceAccountInput,
  type ZodApi,
} from './inputProperties';
import { examples } from './verifyAccess.examples';

/** How long the action waits for IAM propagation unless the template says otherwise. */
export const DEFAULT_WAIT_SECONDS = 60;

/** The action's inputs, also checked at run time for names it does not take. */
const input = {
  cluster: clusterInput,
  namespace: namespaceInput,
  serviceAccount: serviceAccountInput,
  entityRef: (z: ZodApi) =>
    z
      .string({
        description:
          'Catalog entity whose access is verified, e.g. "component:default/payments-api". The user who started the task must hold irsa.verify on it (by default: be an owner), and the ServiceAccount must be one backstage-irsa ties to it (created or adopted for it, or named by it in a namespace it may use).',
      })
      .min(1),
  accountId: (z: ZodApi) =>
    z
      .string({
        description:
          "12-digit AWS account the ServiceAccount's role must be in (as given to aws:irsa:create-role); any account when omitted.",
      })
      .optional(),
  waitSeconds: (z: ZodApi) =>
    z
      .number({
        description: `How long to keep retrying, with backoff, while STS refuses in a way IAM propagation explains (a role or trust changed moments ago, a provider STS does not know yet); ${DEFAULT_WAIT_SECONDS} when omitted, at most ${MAX_VERIFY_WAIT_SECONDS}. Other refusals fail at once.`,
      })
      .int()
      .min(0)
      .max(MAX_VERIFY_WAIT_SECONDS)
      .optional(),
};

/**
 * The step failed because AWS did not let the ServiceAccount become its role: the check
 * the card would show (code, detail, fix, troubleshooting link) is the message.
 */
export class AccessNotVerifiedError extends CustomErrorBase {
  name = 'AccessNotVerifiedError' as const;

  constructor(readonly check: CheckResult) {
    super(
      `${check.code} ${check.title}: ${check.detail} Fix: ${check.fix} [${check.code}: ${check.docsUrl}]`,
    );
  }
}

/** Every input problem at once, before any call. */
function inputProblems(values: {
  namespace: string;
  serviceAccount: string;
  accountId?: string;
  waitSeconds: number;
}): Problem[] {
  const problems: Problem[] = [
    ...namespaceProblems(values.namespace, 'namespace'),
    ...serviceAccountNameProblems(values.serviceAccount, 'serviceAccount'),
    ...(values.accountId
      ? accountIdProblems(values.accountId, 'accountId')
      : []),
  ];
  const wait = values.waitSeconds;
  if (!Number.isInteger(wait) || wait < 0 || wait > MAX_VERIFY_WAIT_SECONDS) {
    problems.push({
      field: 'waitSeconds',
      message: `a whole number of seconds from 0 to ${MAX_VERIFY_WAIT_SECONDS}, not ${JSON.stringify(
        wait,
      )}.`,
    });
  }
  return problems;
}

/**
 * `aws:irsa:verify`: proves that the ServiceAccount can become its role, as a pod would,
 * with the card's live Verify: a short-lived token for it (TokenRequest), exchanged with
 * AssumeRoleWithWebIdentity under a deny-all session policy, then GetCallerIdentity. No
 * token or credential reaches the output, the task log or the audit event. While STS's
 * refusal is one IAM propagation explains, it retries with backoff for up to waitSeconds;
 * any other refusal fails the step at once with the failure's code, detail and fix.
 *
 * Rate: the card's per-user and per-entity verify limits are counted by the irsa backend
 * plugin in its own cache namespace, which a scaffolder module cannot reach; a run of this
 * action is bounded instead: one TokenRequest, and at most one STS call per backoff step
 * (20 over the longest wait). A task runs it once per step, as its initiator.
 */
export function createVerifyAccessAction(options: IrsaActionsOptions) {
  const { verify, status, registry } = options.irsaService;
  return createTemplateAction({
    id: 'aws:irsa:verify',
    description:
      "Proves that pods using the ServiceAccount receive the role: mints a short-lived token for it, exchanges it with STS AssumeRoleWithWebIdentity (deny-all session policy, so the credentials can do nothing) and asks GetCallerIdentity who AWS says it is. Waits out IAM propagation (up to waitSeconds) after a role or trust change; any other refusal fails the step with the failure's code, detail and fix. No token or credential is output or logged. The user who started the task must hold irsa.verify on entityRef, and the ServiceAccount must be one backstage-irsa ties to that entity.",
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: {
        ok: z =>
          z.literal(true, {
            description:
              'Always true: the step fails when access is not proven',
          }),
        roleArn: z =>
          z.string({ description: "The ServiceAccount's role ARN" }),
        assumedRoleArn: z =>
          z.string({
            description:
              'The assumed-role ARN GetCallerIdentity returned, e.g. arn:aws:sts::111111111111:assumed-role/irsa-payments-api/backstage-irsa-verify-…',
          }),
      },
    },
    async handler(ctx) {
      const { cluster, namespace, serviceAccount } = ctx.input;
      const accountId = ctx.input.accountId || undefined;
      const waitSeconds = ctx.input.waitSeconds ?? DEFAULT_WAIT_SECONDS;
      await runAsInitiator(
        options,
        ctx,
        {
          eventId: 'verify',
          severityLevel: 'medium',
          inputs: Object.keys(input),
          permission: irsaVerifyPermission,
          meta: {
            entityRef: ctx.input.entityRef,
            cluster,
            namespace,
            serviceAccount,
            waitSeconds,
          },
        },
        async (auth, record) => {
          const problems = inputProblems({
            namespace,
            serviceAccount,
            accountId,
            waitSeconds,
          });
          if (problems.length > 0) {
            throwInputProblems('verify request', problems);
          }
          registry.get(cluster);
          const target = { cluster, namespace, name: serviceAccount };
          const what = `${namespace}/${serviceAccount} on cluster ${cluster}`;
          if (ctx.isDryRun) {
            // The ServiceAccount may not exist before the steps before this one have run.
            ctx.logger.info(
              `Dry run: would verify that ${what} can become its role for ${auth.entityRef} ` +
                `(TokenRequest, AssumeRoleWithWebIdentity with a deny-all session policy, GetCallerIdentity), ` +
                `waiting up to ${waitSeconds} s for IAM propagation${
                  accountId
                    ? `, and that the role is in account ${accountId}`
                    : ''
                }. STS was not called.`,
            );
            return;
          }
          // Never a token for a ServiceAccount the product does not tie to the entity.
          if (!(await status.isBindingOf(auth.entity, target))) {
            throw new NotAllowedError(
              `${what} is not a ServiceAccount of ${auth.entityRef}: only ServiceAccounts ` +
                'backstage-irsa created or adopted for it, or its own in a namespace it may use, can be verified.',
            );
          }
          ctx.logger.info(
            `Verifying ${what} for ${auth.entityRef}; waiting up to ${waitSeconds} s for IAM propagation.`,
          );
          const result = await verify.verify(target, {
            waitMs: waitSeconds * 1000,
          });
          record({
            ok: result.ok,
            stsCalled: result.stsCalled,
            roleArn: result.roleArn,
            code: result.check.code,
            ...(result.stsErrorCode
              ? { stsErrorCode: result.stsErrorCode }
              : {}),
            ...(result.assumedRoleArn
              ? { assumedRoleArn: result.assumedRoleArn }
              : {}),
          });
          if (!result.ok || !result.assumedRoleArn) {
            throw new AccessNotVerifiedError(result.check);
          }
          const role = parseRoleArn(result.roleArn);
          if (accountId && role.ok && role.value.accountId !== accountId) {
            throw new InputError(
              `accountId: ${what} points at role ${result.roleArn}, in account ${role.value.accountId}, ` +
                `not in account ${accountId} as the template asked.`,
            );
          }
          ctx.logger.info(`AWS says you are ${result.assumedRoleArn}`);
          ctx.output('ok', true);
          ctx.output('roleArn', result.roleArn);
          ctx.output('assumedRoleArn', result.assumedRoleArn);
        },
      );
    },
  });
}
