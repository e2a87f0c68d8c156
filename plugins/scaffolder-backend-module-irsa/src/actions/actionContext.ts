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

/** Dependencies every IRSA action factory takes; module.ts is the only glue. */
export interface IrsaActionsOptions {
  irsaService: IrsaService;
  /** Checks the task initiator against the entity (`irsa.binding.create`). */
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

/**
 * Runs a write action's body as the task initiator: authorizes them for the entity
 * first (before any cloud call), and records one audit event (who, which entity, what,
 * outcome; never a token) whether the run succeeds, is refused or fails.
 */
export async function runAsInitiator(
  options: IrsaActionsOptions,
  ctx: AnyContext,
  audit: {
    eventId: string;
    severityLevel: AuditorServiceEventSeverityLevel;
    meta: JsonObject;
  },
  body: (
    auth: AuthorizedBinding,
    record: (meta: JsonObject) => void,
  ) => Promise<void>,
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
    const auth = await options.authorizer.authorizeBinding(
      String(ctx.input.entityRef ?? ''),
      credentials,
    );
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
