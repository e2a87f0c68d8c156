import {
  ConflictError,
  CustomErrorBase,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** A field another field manager owns, which a server-side apply would have changed. */
export interface FieldConflict {
  /** The other field manager, e.g. `helm`, `kubectl-client-side-apply`. */
  manager: string;
  /** The field as the API server names it, e.g. `.metadata.annotations.eks.amazonaws.com/role-arn`. */
  field: string;
}

/**
 * A server-side apply refused because fields it sets are owned by other field managers
 * (the apply is never forced). A ConflictError, with the conflicts for the explanation.
 */
export class FieldManagerConflictError extends ConflictError {
  constructor(message: string, readonly conflicts: FieldConflict[]) {
    super(message);
  }
}

/** The API server's Status object of an ApiException, when it has one. */
function statusBody(error: unknown): any {
  const body = (error as { body?: unknown })?.body;
  try {
    return typeof body === 'string' ? JSON.parse(body) : body;
  } catch {
    return undefined;
  }
}

/**
 * The field-manager conflicts of a refused server-side apply (HTTP 409 with causes of
 * reason `FieldManagerConflict`); empty for any other error, e.g. a failed precondition.
 */
export function fieldManagerConflicts(error: unknown): FieldConflict[] {
  if (kubernetesStatus(error) !== 409) return [];
  const causes = statusBody(error)?.details?.causes;
  if (!Array.isArray(causes)) return [];
  return causes
    .filter(c => c?.reason === 'FieldManagerConflict')
    .map(c => ({
      // "conflict with \"helm\" using v1"
      manager:
        /conflict with "([^"]*)"/.exec(String(c.message ?? ''))?.[1] ??
        'another field manager',
      field: String(c.field ?? ''),
    }));
}

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
 * How the backend signs in to a cluster: a ServiceAccount token (the default, for
 * `authProvider: serviceAccount`) or an EKS token of its AWS identity (for
 * `authProvider: aws`). A refusal has different causes and fixes for each.
 */
export type KubernetesSignIn = 'serviceAccountToken' | 'eksToken';

/** What to check when the API server refused the backend (401) or its user (403). */
function refusalHint(status: 401 | 403, signIn: KubernetesSignIn): string {
  if (signIn === 'serviceAccountToken') {
    return "Check the backstage-irsa ServiceAccount's ClusterRole (docs/rbac/backstage-irsa-rbac.yaml) and its token.";
  }
  return status === 401
    ? "The cluster did not accept the backend's EKS token: map the AWS identity that signs it (the assumed role's ARN without its path, or the main account's) with an EKS access entry or the aws-auth ConfigMap, and check that the token names this EKS cluster (kubernetes.io/x-k8s-aws-id, else irsa.clusters[].eksClusterName); see docs/configuration.md."
    : "The cluster knows the backend's AWS identity, but the Kubernetes user its access entry or aws-auth entry gives lacks the backstage-irsa ClusterRole (docs/rbac/backstage-irsa-rbac.yaml): bind it to that user; see docs/configuration.md.";
}

/**
 * The one place where Kubernetes API errors become `@backstage/errors`. Only the status
 * and the API's own `message` are kept: the client's error text embeds response headers.
 */
export function mapKubernetesError(
  error: unknown,
  doing: string,
  signIn: KubernetesSignIn = 'serviceAccountToken',
): Error {
  // Already explained where it happened, before any request (no EKS token could be had):
  // kept as it is (its status too), with what we were doing.
  if (error instanceof CustomErrorBase) {
    return new ForwardedError(`Could not ${doing}`, error);
  }
  const status = kubernetesStatus(error);
  const parsed = statusBody(error);
  const reason =
    parsed && typeof parsed.message === 'string' ? `: ${parsed.message}` : '';
  const text = `Could not ${doing} (Kubernetes API ${
    status ?? 'error'
  })${reason}`;
  switch (status) {
    case 400:
    case 422:
      return new InputError(text);
    case 401:
    case 403:
      return new NotAllowedError(`${text}. ${refusalHint(status, signIn)}`);
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
