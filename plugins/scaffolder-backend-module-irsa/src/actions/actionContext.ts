import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import type {
  AuthorizedBinding,
  IrsaService,
  RequestAuthorizer,
} from '@backstage-irsa/plugin-irsa-node';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { quote } from '@backstage-irsa/plugin-irsa-common';
import { InputError } from '@backstage/errors';

/** Dependencies every IRSA action factory takes; module.ts is the only glue. */
export interface IrsaActionsOptions {
  irsaService: IrsaService;
  /**
   * Checks the task initiator against the entity (`irsa.binding.create`; `irsa.binding.delete`
   * for a removal).
   */
  authorizer: RequestAuthorizer;
  auditor: AuditorService;
}

type AnyContext = ActionContext<any, any, any>;

/**
 * The scaffolder writes a failed step's `error.stack` into the task log, which users read:
 * keep the message (it carries the fix) and drop the frames, so no source path or stack
 * reaches a task log. The error stays the same @backstage/errors type.
 */
function withoutStack(error: unknown): unknown {
  if (error instanceof Error) {
    error.stack = `${error.name}: ${error.message}`;
  }
  return error;
}

/** InputError naming the inputs a template gave that the action does not take. */
function assertKnownInputs(ctx: AnyContext, inputs?: readonly string[]) {
  if (!inputs) return;
  const unknown = Object.keys(ctx.input ?? {}).filter(k => !inputs.includes(k));
  if (unknown.length === 0) return;
  throw new InputError(
    `${unknown
      .map(k => quote(k))
      .join(', ')}: not an input of this action; its inputs are ${inputs.join(
      ', ',
    )}.`,
  );
}

/**
 * Runs an action's body as the task initiator: authorizes them for the entity
 * first (before any cloud call), and records one audit event (who, which entity, what,
 * outcome; never a token) whether the run succeeds, is refused or fails.
 */
export async function runAsInitiator<A = AuthorizedBinding>(
  options: IrsaActionsOptions,
  ctx: AnyContext,
  audit: {
    eventId: string;
    severityLevel: AuditorServiceEventSeverityLevel;
    meta: JsonObject;
    /**
     * The action's input names. The scaffolder passes unknown inputs through, so a typo
     * in a template (`acountId:`) would silently become "no account": refused instead.
     */
    inputs?: readonly string[];
    /** The permission the initiator needs on the entity; `irsa.binding.create` by default. */
    permission?: Parameters<RequestAuthorizer['authorizeBinding']>[2];
    /**
     * Instead of `authorizeBinding`: how the initiator is checked (a removal uses
     * `authorizeRetirement`, which also admits an entity that has left the catalog).
     */
    authorize?: (
      entityRef: string,
      credentials: Awaited<ReturnType<AnyContext['getInitiatorCredentials']>>,
    ) => Promise<A>;
  },
  body: (auth: A, record: (meta: JsonObject) => void) => Promise<void>,
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  const base: JsonObject = {
    ...audit.meta,
    actor: principal.userEntityRef ?? principal.type,
    taskId: ctx.task.id,
    dryRun: Boolean(ctx.isDryRun),
  };
  const event = await options.auditor.createEvent({
    eventId: audit.eventId,
    severityLevel: audit.severityLevel,
    meta: base,
  });
  let outcome: JsonObject = {};
  try {
    assertKnownInputs(ctx, audit.inputs);
    const entityRef = String(ctx.input.entityRef ?? '');
    const auth = audit.authorize
      ? await audit.authorize(entityRef, credentials)
      : ((await options.authorizer.authorizeBinding(
          entityRef,
          credentials,
          audit.permission,
        )) as unknown as A);
    await body(auth, meta => {
      outcome = { ...outcome, ...meta };
    });
    await event.success({ meta: { ...base, ...outcome } });
  } catch (error) {
    withoutStack(error);
    await event.fail({ error: error as Error, meta: { ...base, ...outcome } });
    throw error;
  }
}
