import {
  IRSA_SKIP_CONTAINERS_ANNOTATION,
  IRSA_STS_REGIONAL_ENDPOINTS_ANNOTATION,
  IRSA_TOKEN_EXPIRATION_ANNOTATION,
} from './constants';
import type { AwsPartition } from './partition';
import {
  type CheckResult,
  createCheckResult,
  type PodStatus,
} from './statusReport';

/**
 * One container of a pod, as the pod checks need it: the names of its environment
 * variables and the values of the two the checks read. Nothing else of the environment is
 * kept, so no credential value ever reaches a check.
 *
 * @public
 */
export interface PodContainerSummary {
  name: string;
  /** Names of the variables set in `env` (by `value` or `valueFrom`); never their values. */
  envNames: string[];
  /** The literal `AWS_ROLE_ARN`, as the pod identity webhook injects it. */
  roleArn?: string;
  /** The literal `AWS_STS_REGIONAL_ENDPOINTS` (`regional` or `legacy`). */
  stsRegionalEndpoints?: string;
}

/**
 * A pod as the pod checks need it.
 *
 * @public
 */
export interface PodSummary {
  name: string;
  serviceAccountName?: string;
  /**
   * Only the pod annotations the checks read ({@link IRSA_SKIP_CONTAINERS_ANNOTATION},
   * {@link IRSA_TOKEN_EXPIRATION_ANNOTATION}).
   */
  annotations: Record<string, string>;
  containers: PodContainerSummary[];
}

/**
 * The pod annotations {@link PodSummary.annotations} keeps.
 *
 * @public
 */
export const POD_ANNOTATIONS_READ: readonly string[] = Object.freeze([
  IRSA_SKIP_CONTAINERS_ANNOTATION,
  IRSA_TOKEN_EXPIRATION_ANNOTATION,
]);

const list = (items: string[]) => items.join(', ');

/**
 * The names in a pod's skip-containers annotation, split as the webhook splits them: on
 * commas, white space kept (so `"a, b"` skips `a` and `" b"`).
 *
 * @public
 */
export function skippedContainerNames(pod: PodSummary): string[] {
  const value = pod.annotations[IRSA_SKIP_CONTAINERS_ANNOTATION];
  if (value === undefined) return [];
  return value.split(',');
}

/**
 * F10 and F23 from the pods using the ServiceAccount. Per container: it has the role in
 * `AWS_ROLE_ARN`; or the pod's skip-containers annotation names it (F23, skipped); or it
 * lacks the role although another container of the pod has it (F23: added after
 * injection, or its own `AWS_ROLE_ARN` set in the spec). A pod where no container has the
 * role was created before the annotation (F10, restart). F23's row appears only when
 * there are pods.
 *
 * @public
 */
export function podInjectionChecks(
  pods: PodSummary[],
  roleArn: string,
): { pods: PodStatus[]; checks: CheckResult[] } {
  const stale: string[] = [];
  const skipped: string[] = [];
  const partial: string[] = [];
  const unknownSkips: string[] = [];
  const statuses = pods.map(pod => {
    const skip = new Set(skippedContainerNames(pod));
    const names = new Set(pod.containers.map(c => c.name));
    for (const n of skip) {
      if (!names.has(n)) unknownSkips.push(`"${n}" (pod ${pod.name})`);
    }
    const injected = pod.containers.some(c => c.roleArn === roleArn);
    let needsRestart = false;
    const lacking = pod.containers.filter(c => c.roleArn !== roleArn);
    for (const c of lacking) {
      if (skip.has(c.name)) {
        skipped.push(`${pod.name}/${c.name}`);
      } else if (injected) {
        partial.push(`${pod.name}/${c.name}`);
        needsRestart = true;
      } else {
        needsRestart = true;
      }
    }
    if (!injected && needsRestart) stale.push(pod.name);
    return { name: pod.name, needsRestart };
  });

  const checks: CheckResult[] = [f10Check(stale, pods.length)];
  if (pods.length > 0) {
    const parts: string[] = [];
    if (skipped.length) {
      parts.push(
        `Skipped by ${IRSA_SKIP_CONTAINERS_ANNOTATION}, so without AWS credentials: ${list(
          skipped,
        )}.`,
      );
    }
    if (partial.length) {
      parts.push(
        `Without this role although another container of the pod has it (added after the webhook ran, or AWS_ROLE_ARN set in the spec): ${list(
          partial,
        )}.`,
      );
    }
    if (unknownSkips.length) {
      parts.push(
        `${IRSA_SKIP_CONTAINERS_ANNOTATION} names no such container: ${list(
          unknownSkips,
        )} (the webhook matches names exactly, spaces included).`,
      );
    }
    checks.push(
      skipped.length || partial.length
        ? createCheckResult('F23', 'warn', parts.join(' '))
        : createCheckResult(
            'F23',
            'pass',
            `No container is skipped or left out in a pod that has the role.${
              parts.length ? ` ${parts.join(' ')}` : ''
            }`,
          ),
    );
  }
  return { pods: statuses, checks };
}

const STATIC_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
const OTHER_SOURCES = [
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
];

/**
 * F12: AWS credentials set in a container's environment that come before the web
 * identity token in the SDKs' default credential chains. A container with both
 * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (by value or from a Secret) uses those
 * keys, never the role: `fail`. A profile or shared credentials file, or an incomplete key
 * pair, wins in some SDKs depending on the file: `warn`. Only variable names are read;
 * `envFrom` sources are not. No row when there are no pods.
 *
 * @public
 */
export function staticCredentialsCheck(
  pods: PodSummary[],
): CheckResult | undefined {
  if (pods.length === 0) return undefined;
  const overriding: string[] = [];
  const risky: string[] = [];
  for (const pod of pods) {
    for (const c of pod.containers) {
      const names = new Set(c.envNames);
      const keys = STATIC_KEYS.filter(n => names.has(n));
      const others = OTHER_SOURCES.filter(n => names.has(n));
      const where = `pod ${pod.name} container ${c.name}`;
      if (keys.length === STATIC_KEYS.length) {
        overriding.push(`${where} (${list([...keys, ...others])})`);
      } else if (keys.length || others.length) {
        risky.push(`${where} (${list([...keys, ...others])})`);
      }
    }
  }
  if (overriding.length) {
    return createCheckResult(
      'F12',
      'fail',
      `Static AWS keys in the environment of ${list(
        overriding,
      )}: the AWS SDKs' default credential chains read them before the web identity token, so these containers call AWS as those keys, not as the role.${
        risky.length
          ? ` Also set, and possibly overriding the role: ${list(risky)}.`
          : ''
      }`,
    );
  }
  if (risky.length) {
    return createCheckResult(
      'F12',
      'warn',
      `AWS credential settings in the environment of ${list(
        risky,
      )}: depending on the SDK and the credentials file, a profile or partial keys can take precedence over the web identity token.`,
    );
  }
  return createCheckResult(
    'F12',
    'pass',
    'No container sets AWS keys, a profile or a shared credentials file in its environment.',
  );
}

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/**
 * F14: whether the ServiceAccount or a container selects the global STS endpoint. The
 * webhook reads the ServiceAccount annotation as a Go boolean and injects
 * `AWS_STS_REGIONAL_ENDPOINTS=regional` only when it is true (or the webhook's flag is
 * set); a container's own `AWS_STS_REGIONAL_ENDPOINTS=legacy` sends SDKs in the original
 * commercial regions to `sts.amazonaws.com`. Both are `warn`: the call works while the
 * global endpoint is reachable and in the role's partition.
 *
 * @public
 */
export function stsEndpointCheck(
  serviceAccountAnnotations: Record<string, string>,
  pods: PodSummary[],
  partition: AwsPartition,
): CheckResult {
  const problems: string[] = [];
  const value =
    serviceAccountAnnotations[IRSA_STS_REGIONAL_ENDPOINTS_ANNOTATION];
  if (value !== undefined && GO_FALSE.includes(value)) {
    problems.push(
      `The ServiceAccount sets ${IRSA_STS_REGIONAL_ENDPOINTS_ANNOTATION}: "${value}", so the webhook does not inject AWS_STS_REGIONAL_ENDPOINTS=regional and SDKs whose default is the legacy setting call the global endpoint.`,
    );
  } else if (value !== undefined && !GO_TRUE.includes(value)) {
    problems.push(
      `The ServiceAccount's ${IRSA_STS_REGIONAL_ENDPOINTS_ANNOTATION}: "${value}" is not a boolean; the webhook ignores it and applies its own default.`,
    );
  }
  const legacy: string[] = [];
  const odd: string[] = [];
  for (const pod of pods) {
    for (const c of pod.containers) {
      const v = c.stsRegionalEndpoints;
      if (v === undefined || v === 'regional') continue;
      (v === 'legacy' ? legacy : odd).push(`${pod.name}/${c.name}`);
    }
  }
  if (legacy.length) {
    problems.push(
      `AWS_STS_REGIONAL_ENDPOINTS=legacy (the global endpoint sts.amazonaws.com) in ${list(
        legacy,
      )}.`,
    );
  }
  if (odd.length) {
    problems.push(
      `AWS_STS_REGIONAL_ENDPOINTS is neither "regional" nor "legacy" in ${list(
        odd,
      )}; SDKs reject or ignore such a value.`,
    );
  }
  if (problems.length === 0) {
    return createCheckResult(
      'F14',
      'pass',
      value !== undefined
        ? `The ServiceAccount asks for regional STS endpoints and no container overrides it.`
        : `Neither the ServiceAccount nor a container selects the global STS endpoint.`,
    );
  }
  if (partition !== 'aws') {
    problems.push(
      `The role is in the ${partition} partition, which the global endpoint sts.amazonaws.com does not serve: make sure the pods set AWS_REGION so the SDK uses the regional endpoint.`,
    );
  }
  return createCheckResult('F14', 'warn', problems.join(' '));
}

/**
 * The shortest token lifetime the pod identity webhook uses, in seconds.
 *
 * @public
 */
export const TOKEN_EXPIRATION_MIN_SECONDS = 600;

/**
 * The longest token lifetime EKS issues (and the webhook's default), in seconds.
 *
 * @public
 */
export const TOKEN_EXPIRATION_MAX_SECONDS = 86400;

/** Go's strconv.ParseInt(value, 10, 64), as the webhook parses the annotation. */
function parseGoInt(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * F15: the token lifetime annotations, read as the webhook reads them. A value that is not
 * an integer is ignored (the ServiceAccount's falls back to the default of 86400 s, a
 * pod's to the ServiceAccount's); below 600 s the webhook raises it to 600; above 86400 s
 * the API server caps the token at its maximum (86400 s on EKS). Each is a `warn` naming
 * the value that takes effect.
 *
 * @public
 */
export function tokenExpirationCheck(
  serviceAccountAnnotations: Record<string, string>,
  pods: PodSummary[],
): CheckResult {
  const problems: string[] = [];
  const judge = (where: string, value: string, fallback: string) => {
    const n = parseGoInt(value);
    if (n === undefined) {
      problems.push(
        `${where} sets ${IRSA_TOKEN_EXPIRATION_ANNOTATION}: "${value}", not an integer; the webhook ignores it and uses ${fallback}.`,
      );
    } else if (n < TOKEN_EXPIRATION_MIN_SECONDS) {
      problems.push(
        `${where} sets ${IRSA_TOKEN_EXPIRATION_ANNOTATION}: ${value}, below ${TOKEN_EXPIRATION_MIN_SECONDS}; the webhook uses ${TOKEN_EXPIRATION_MIN_SECONDS} s.`,
      );
    } else if (n > TOKEN_EXPIRATION_MAX_SECONDS) {
      problems.push(
        `${where} sets ${IRSA_TOKEN_EXPIRATION_ANNOTATION}: ${value}, above ${TOKEN_EXPIRATION_MAX_SECONDS}; the API server caps the token at its maximum (${TOKEN_EXPIRATION_MAX_SECONDS} s on EKS).`,
      );
    }
    return n;
  };
  const saValue = serviceAccountAnnotations[IRSA_TOKEN_EXPIRATION_ANNOTATION];
  let saEffective = `the default (79200–${TOKEN_EXPIRATION_MAX_SECONDS} s)`;
  if (saValue !== undefined) {
    const n = judge('The ServiceAccount', saValue, saEffective);
    if (n !== undefined) {
      saEffective = `the ServiceAccount's ${Math.min(
        Math.max(n, TOKEN_EXPIRATION_MIN_SECONDS),
        TOKEN_EXPIRATION_MAX_SECONDS,
      )} s`;
    }
  }
  for (const pod of pods) {
    const v = pod.annotations[IRSA_TOKEN_EXPIRATION_ANNOTATION];
    if (v !== undefined) judge(`Pod ${pod.name}`, v, saEffective);
  }
  return problems.length
    ? createCheckResult('F15', 'warn', problems.join(' '))
    : createCheckResult(
        'F15',
        'pass',
        saValue === undefined &&
          !pods.some(
            p => p.annotations[IRSA_TOKEN_EXPIRATION_ANNOTATION] !== undefined,
          )
          ? `No token lifetime annotation; the webhook's default (up to ${TOKEN_EXPIRATION_MAX_SECONDS} s) applies.`
          : `Token lifetime annotations are within ${TOKEN_EXPIRATION_MIN_SECONDS}–${TOKEN_EXPIRATION_MAX_SECONDS} seconds.`,
      );
}

/**
 * The variables the pod identity webhook injects for EKS Pod Identity (the container
 * credentials provider, served by the Pod Identity agent at 169.254.170.23).
 *
 * @public
 */
export const POD_IDENTITY_ENV_NAMES: readonly string[] = Object.freeze([
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
]);

/**
 * An EKS Pod Identity association for the ServiceAccount, as
 * `eks:ListPodIdentityAssociations` lists it.
 *
 * @public
 */
export interface PodIdentityAssociationSummary {
  associationId: string;
  associationArn?: string;
}

/**
 * F11: whether EKS Pod Identity is configured next to the IRSA annotation. When a Pod
 * Identity association exists for the ServiceAccount, the pod identity webhook injects the
 * container credentials variables ({@link POD_IDENTITY_ENV_NAMES}) instead of the IRSA
 * ones, so the pods call AWS as the association's role, not the annotation's. Both sources
 * warn: containers carrying those variables (names only are read), and associations listed
 * by EKS (`undefined` when they could not be read). No row when there are no pods and no
 * associations were read.
 *
 * @public
 */
export function podIdentityCheck(
  pods: PodSummary[],
  associations?: PodIdentityAssociationSummary[],
): CheckResult | undefined {
  if (pods.length === 0 && associations === undefined) return undefined;
  const containers: string[] = [];
  for (const pod of pods) {
    for (const c of pod.containers) {
      const names = POD_IDENTITY_ENV_NAMES.filter(n => c.envNames.includes(n));
      if (names.length) {
        containers.push(`pod ${pod.name} container ${c.name} (${list(names)})`);
      }
    }
  }
  const parts: string[] = [];
  if (associations?.length) {
    parts.push(
      `EKS has a Pod Identity association for this ServiceAccount (${list(
        associations.map(a => a.associationId),
      )}): the webhook gives new pods the association's role, not the IRSA annotation's.`,
    );
  }
  if (containers.length) {
    parts.push(
      `EKS Pod Identity credentials in the environment of ${list(
        containers,
      )}: the container credentials method takes precedence over IRSA, so these containers call AWS as the Pod Identity association's role; restarting does not change that.`,
    );
  }
  if (parts.length) {
    return createCheckResult(
      'F11',
      'warn',
      `${parts.join(
        ' ',
      )} Delete the association or remove the annotation, whichever you do not intend to use.`,
    );
  }
  return createCheckResult(
    'F11',
    'pass',
    associations === undefined
      ? 'No container carries EKS Pod Identity credentials.'
      : 'No EKS Pod Identity association for this ServiceAccount, and no container carries Pod Identity credentials.',
  );
}

/** F10: pods that need a restart; with no pod, nothing to check yet (not a pass). */
function f10Check(stale: string[], podCount: number): CheckResult {
  if (stale.length) {
    return createCheckResult(
      'F10',
      'warn',
      `Pods without this role in their environment: ${list(stale)}.`,
    );
  }
  if (podCount === 0) {
    return createCheckResult(
      'F10',
      'notApplicable',
      'No pod runs with this ServiceAccount yet, so there is nothing to check: this check runs once pods use it.',
    );
  }
  return createCheckResult(
    'F10',
    'pass',
    `${podCount} pod(s) use the ServiceAccount with this role.`,
  );
}
