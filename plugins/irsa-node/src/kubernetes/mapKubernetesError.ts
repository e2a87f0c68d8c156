import {
  ConflictError,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** The status code of a @kubernetes/client-node ApiException, if it is one. */
export function kubernetesStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

// The API server did not answer: aborted at the timeout, refused, reset or unresolvable.
const UNANSWERED =
  /\b(AbortError|TimeoutError|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b|aborted/i;

function unanswered(error: unknown, doing: string): Error | undefined {
  const e = error as { name?: string; code?: string; message?: string };
  const text = `${e?.name ?? ''} ${e?.code ?? ''} ${e?.message ?? ''}`;
  const match = UNANSWERED.exec(text);
  if (!match) return undefined;
  return new ServiceUnavailableError(
    `Could not ${doing}: the Kubernetes API did not answer (${match[0]}). ` +
      'It is down, unreachable or slower than irsa.kubernetes.requestTimeoutSeconds allows; try again (or retry the task) once it answers.',
  );
}

/**
 * The one place where Kubernetes API errors become `@backstage/errors`. Only the status
 * and the API's own `message` are kept: the client's error text embeds response headers.
 */
export function mapKubernetesError(error: unknown, doing: string): Error {
  const status = kubernetesStatus(error);
  let reason = '';
  const body = (error as { body?: unknown })?.body;
  try {
    const parsed = typeof body === 'string' ? JSON.parse(body) : body;
    if (parsed && typeof parsed.message === 'string')
      reason = `: ${parsed.message}`;
  } catch {
    /* not a Status object */
  }
  const text = `Could not ${doing} (Kubernetes API ${
    status ?? 'error'
  })${reason}`;
  switch (status) {
    case 400:
    case 422:
      return new InputError(text);
    case 401:
    case 403:
      return new NotAllowedError(
        `${text}. Check the backstage-irsa ServiceAccount's ClusterRole (docs/rbac/backstage-irsa-rbac.yaml) and its token.`,
      );
    case 404:
      return new NotFoundError(text);
    case 409:
      return new ConflictError(text);
    case 429:
    case 500:
    case 503:
      return new ServiceUnavailableError(text);
    default:
      return (
        unanswered(error, doing) ??
        new ForwardedError(`Could not ${doing}`, error)
      );
  }
}
