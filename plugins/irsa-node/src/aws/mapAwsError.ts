import {
  ConflictError,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

// AWS error codes, grouped by what the caller can do about them.
const NOT_FOUND = new Set([
  'NoSuchEntity',
  'NoSuchEntityException',
  'ResourceNotFoundException',
]);
const CONFLICT = new Set([
  'EntityAlreadyExists',
  'EntityAlreadyExistsException',
  // DeleteRole of a role that still has policies or instance profiles.
  'DeleteConflict',
  'DeleteConflictException',
]);
const INPUT = new Set([
  'MalformedPolicyDocument',
  'MalformedPolicyDocumentException',
  'ValidationError',
  'InvalidInput',
  'InvalidInputException',
  'InvalidParameterException',
]);
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);
const UNAVAILABLE = new Set([
  'ServiceFailure',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);
// The endpoint did not answer: refused, reset, unresolvable or too slow (irsa.aws timeouts).
const UNREACHABLE = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * The one place where AWS SDK errors become `@backstage/errors`, so the HTTP layer
 * answers with the right status and the scaffolder log says what to do. `doing` is what
 * we tried, in words ("create the IAM OIDC provider for ..."); the AWS message is kept,
 * request ids and headers are not.
 */
export function mapAwsError(error: unknown, doing: string): Error {
  const name = (error as { name?: string })?.name ?? 'Error';
  const message = (error as { message?: string })?.message ?? String(error);
  const text = `Could not ${doing}: ${name}: ${message}`;
  // By status too: a REST API's 404 may carry no modelled name (an endpoint without it).
  const httpStatus = (error as { $metadata?: { httpStatusCode?: number } })
    ?.$metadata?.httpStatusCode;
  if (NOT_FOUND.has(name) || httpStatus === 404) {
    return new NotFoundError(text);
  }
  if (CONFLICT.has(name)) return new ConflictError(text);
  if (INPUT.has(name)) return new InputError(text);
  if (DENIED.has(name)) {
    return new NotAllowedError(
      `${text}. Check the backstage-irsa-manager role's policy (docs/iam/) and the aws.accounts entry for this account.`,
    );
  }
  if (UNAVAILABLE.has(name)) {
    return new ServiceUnavailableError(
      `${text}. AWS is throttling or failing after every retry; try again in a minute.`,
    );
  }
  const code = unreachableCode(error, name, message);
  if (code) {
    return new ServiceUnavailableError(
      `Could not ${doing}: AWS did not answer (${code}) after every retry: ${message}. ` +
        'The endpoint is down, unreachable or slower than irsa.aws allows; try again (or retry the task) once it answers.',
    );
  }
  return new ForwardedError(`Could not ${doing}`, error);
}

/**
 * The network error code of a call that never got an answer, or undefined. The SDK may hand
 * the socket error over wrapped, its code left only in the message ("AWS SDK error wrapper
 * for Error: connect ECONNREFUSED ..."), so the message is read too.
 */
function unreachableCode(
  error: unknown,
  name: string,
  message: string,
): string | undefined {
  const code = (error as { code?: string })?.code;
  if (code && UNREACHABLE.has(code)) return code;
  if (UNREACHABLE.has(name)) return name;
  return [...UNREACHABLE].find(c => new RegExp(`\\b${c}\\b`).test(message));
}

/** True for the AWS "not found" family, for reads that treat absence as an answer. */
export function isAwsNotFound(error: unknown): boolean {
  return NOT_FOUND.has((error as { name?: string })?.name ?? '');
}
