import { FailureCode, getFailure } from './failureCatalogue';

/**
 * Result of one check: `unknown` when it could not be decided (for example the backend was
 * denied reading something), never silently `pass`; `notApplicable` when there is nothing
 * to check yet (no pod runs with the ServiceAccount), which says nothing either way.
 *
 * @public
 */
export type CheckStatus =
  | 'pass'
  | 'warn'
  | 'fail'
  | 'unknown'
  | 'notApplicable';

/**
 * Overall trust of a binding, derived from its checks by {@link overallFromChecks}.
 *
 * @public
 */
export type OverallStatus = 'trusted' | 'warning' | 'broken' | 'unknown';

/**
 * One check as the card, the task log and the docs show it; `title`, `fix` and `docsUrl`
 * come from the failure catalogue, `detail` from the specific case.
 *
 * @public
 */
export interface CheckResult {
  code: FailureCode;
  status: CheckStatus;
  title: string;
  /** What was found in this case, e.g. which statement failed and why. */
  detail: string;
  fix: string;
  docsUrl: string;
}

/**
 * A pod that uses the ServiceAccount; `needsRestart` when it started before the role
 * annotation and so has no injected credentials (F10).
 *
 * @public
 */
export interface PodStatus {
  name: string;
  needsRestart: boolean;
}

/**
 * The status of one ServiceAccount binding of an entity in one cluster.
 *
 * @public
 */
export interface BindingReport {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  /** The role ARN the ServiceAccount is annotated with, when it has one. */
  roleArn?: string;
  overall: OverallStatus;
  checks: CheckResult[];
  pods: PodStatus[];
}

/**
 * Everything the card shows for an entity, computed once by the backend; the card renders
 * it without re-deriving anything.
 *
 * @public
 */
export interface StatusReport {
  entityRef: string;
  /** ISO 8601 time the report was computed. */
  generatedAt: string;
  overall: OverallStatus;
  bindings: BindingReport[];
  /** Checks about the entity itself rather than one binding (e.g. P6 annotation problems). */
  checks: CheckResult[];
}

/**
 * The outcome of a live verify: a short-lived token exchanged with STS under a deny-all
 * session policy. Deliberately carries no token and no credentials, only what they proved.
 *
 * @public
 */
export interface VerifyResult {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  /** The annotated role ARN; empty when the ServiceAccount has none. */
  roleArn: string;
  /** True when STS issued credentials for the role. */
  ok: boolean;
  /**
   * False when the static checks already showed the call cannot succeed (no role ARN, a
   * malformed one), so no token was minted and STS was not called; `check` says why.
   */
  stsCalled: boolean;
  /** The assumed-role ARN GetCallerIdentity returned, when `ok`. */
  assumedRoleArn?: string;
  /** The STS error code when not `ok`, e.g. `AccessDenied` or `InvalidIdentityToken`. */
  stsErrorCode?: string;
  /** The check the outcome maps to (F3, F6, F16, …), with status and fix. */
  check: CheckResult;
  /** ISO 8601 time of the verify. */
  verifiedAt: string;
}

/**
 * What the backend tells the frontend about a configured cluster (for template fields and
 * the card). Holds no credentials or connection secrets.
 *
 * @public
 */
export interface ClusterSummary {
  name: string;
  accountId: string;
  region: string;
  issuer?: string;
  eksClusterName?: string;
}

/**
 * The overall status of a set of checks: any `fail` → `broken`; else any `unknown` →
 * `unknown` (not knowing whether trust works outranks a caveat about it); else any `warn`
 * → `warning`; all `pass` → `trusted`. `notApplicable` checks count for nothing; no checks
 * that count → `unknown`.
 *
 * @public
 */
export function overallFromChecks(
  checks: ReadonlyArray<Pick<CheckResult, 'status'>>,
): OverallStatus {
  if (!checks.some(c => c.status !== 'notApplicable')) {
    return 'unknown';
  }
  const has = (status: CheckStatus) => checks.some(c => c.status === status);
  if (has('fail')) return 'broken';
  if (has('unknown')) return 'unknown';
  if (has('warn')) return 'warning';
  return 'trusted';
}

/**
 * The overall status of several bindings, by the same precedence as
 * {@link overallFromChecks}: broken, then unknown, then warning, then trusted.
 *
 * @public
 */
export function overallFromBindings(
  bindings: ReadonlyArray<Pick<BindingReport, 'overall'>>,
): OverallStatus {
  const toCheck: Record<OverallStatus, CheckStatus> = {
    broken: 'fail',
    unknown: 'unknown',
    warning: 'warn',
    trusted: 'pass',
  };
  return overallFromChecks(bindings.map(b => ({ status: toCheck[b.overall] })));
}

/**
 * Builds a check result with title, fix and link from the catalogue.
 *
 * @public
 */
export function createCheckResult(
  code: FailureCode,
  status: CheckStatus,
  detail: string,
): CheckResult {
  const entry = getFailure(code);
  return {
    code,
    status,
    title: entry.title,
    detail,
    fix: entry.fix,
    docsUrl: entry.docsUrl,
  };
}

/**
 * One ServiceAccount the product manages, as the platform overview lists it.
 *
 * @public
 */
export interface OverviewItem {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  /** The entity its ownership record names. */
  entityRef?: string;
  roleArn?: string;
  overall: OverallStatus;
  /** The first check that failed, or else the first that could not be decided. */
  problem?: CheckResult;
}

/**
 * A page of the platform overview: every ServiceAccount the product manages, on every
 * configured cluster, sorted by cluster, namespace and name.
 *
 * @public
 */
export interface OverviewPage {
  items: OverviewItem[];
  /** Items matching the filters, on every page. */
  total: number;
  page: number;
  pageSize: number;
  /** Checks about the inventory itself (a cluster that could not be listed: P8). */
  checks: CheckResult[];
}
