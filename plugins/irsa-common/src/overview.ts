import type { CheckResult, OverallStatus, OverviewItem } from './statusReport';

/**
 * What the platform overview can be sorted by: the ServiceAccount's cluster, namespace or
 * name, the entity its ownership record names, or its overall status (broken first when
 * descending).
 *
 * @public
 */
export const OVERVIEW_SORT_KEYS = [
  'cluster',
  'namespace',
  'name',
  'entity',
  'status',
] as const;

/** @public */
export type OverviewSortKey = (typeof OVERVIEW_SORT_KEYS)[number];

/** @public */
export type OverviewSortOrder = 'asc' | 'desc';

/**
 * Every overall status, from the best to the worst: the order a status sort follows
 * (ascending), and the values the overview's `status` filter takes.
 *
 * @public
 */
export const OVERALL_STATUSES: readonly OverallStatus[] = [
  'trusted',
  'warning',
  'unknown',
  'broken',
];

/**
 * Orders two overview rows by `sort` (`namespace`: namespace and name; `name`: name and
 * namespace), `desc` reversing it; ties go by cluster, namespace and name, always
 * ascending, so every order is total and stable across pages.
 *
 * @public
 */
export function compareOverviewItems(
  a: Pick<OverviewItem, 'cluster' | 'namespace' | 'serviceAccount'> &
    Partial<Pick<OverviewItem, 'entityRef' | 'overall'>>,
  b: Pick<OverviewItem, 'cluster' | 'namespace' | 'serviceAccount'> &
    Partial<Pick<OverviewItem, 'entityRef' | 'overall'>>,
  sort: OverviewSortKey = 'cluster',
  order: OverviewSortOrder = 'asc',
): number {
  const text = (x?: string, y?: string) => {
    // Rows without an entity come after every entity (before them, descending).
    if (x === undefined || y === undefined) {
      if (x === y) return 0;
      return x === undefined ? 1 : -1;
    }
    return x.localeCompare(y, 'en-US');
  };
  const rank = (s?: OverallStatus) => (s ? OVERALL_STATUSES.indexOf(s) : -1);
  const byCluster = text(a.cluster, b.cluster);
  const byNamespace = text(a.namespace, b.namespace);
  const byName = text(a.serviceAccount, b.serviceAccount);
  // What the sort orders by (reversed when descending), then what breaks its ties.
  const keys: Record<OverviewSortKey, [number[], number[]]> = {
    cluster: [[byCluster], [byNamespace, byName]],
    // The namespace/ServiceAccount column: both, as one key.
    namespace: [[byNamespace, byName], [byCluster]],
    name: [[byName, byNamespace], [byCluster]],
    entity: [
      [
        text(
          a.entityRef?.toLocaleLowerCase('en-US'),
          b.entityRef?.toLocaleLowerCase('en-US'),
        ),
      ],
      [byCluster, byNamespace, byName],
    ],
    status: [
      [rank(a.overall) - rank(b.overall)],
      [byCluster, byNamespace, byName],
    ],
  };
  const [primary, ties] = keys[sort];
  const first = primary.find(n => n !== 0) ?? 0;
  if (first !== 0) return order === 'desc' ? -first : first;
  return ties.find(n => n !== 0) ?? 0;
}

/**
 * A role the product made (tagged `backstage-irsa:managed-by` and
 * `backstage-irsa:entity-ref`) whose entity is not in the catalog, as the reader sees it:
 * nobody owns it any more. What it was made for is filled in as far as it is known: from a
 * managed ServiceAccount annotated with it, else from its trust policy.
 *
 * @public
 */
export interface OrphanRole {
  accountId: string;
  roleArn: string;
  roleName: string;
  /** Its `backstage-irsa:entity-ref` tag: the entity that is gone. */
  entityRef: string;
  /** ISO 8601, when IAM created it. */
  createDate?: string;
  cluster?: string;
  namespace?: string;
  serviceAccount?: string;
}

/**
 * A ServiceAccount the product manages whose annotated role does not exist (P4): its pods
 * get no AWS credentials, and the ServiceAccount is left over.
 *
 * @public
 */
export interface RoleGoneServiceAccount {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  entityRef?: string;
  roleArn: string;
  /** The P4 check that failed, as the card shows it. */
  check: CheckResult;
}

/**
 * The two kinds of leftovers the overview reports (`GET /overview/orphans?kind=`).
 *
 * @public
 */
export type OrphanKind = 'roles' | 'serviceAccounts';

/**
 * A page of one kind of orphan.
 *
 * @public
 */
export interface OrphansPage<T extends OrphanRole | RoleGoneServiceAccount> {
  items: T[];
  /** Orphans of this kind, on every page. */
  total: number;
  page: number;
  pageSize: number;
  /**
   * What could not be read (an account whose roles could not be listed, a role that could
   * not be read: P8), so an empty list is never mistaken for "none".
   */
  checks: CheckResult[];
}

/**
 * What the "Remove AWS access" template is opened with from an orphan: the parameter names
 * of examples/templates/remove-aws-access, only those known.
 *
 * @public
 */
export interface RemoveAccessFormData {
  entity: string;
  cluster?: string;
  namespace?: string;
  serviceAccount?: string;
  roleArn?: string;
}

/**
 * The "Remove AWS access" form data for an orphaned role or a ServiceAccount whose role is
 * gone; undefined when nothing names the entity (the template needs it).
 *
 * @public
 */
export function removeAccessFormData(
  orphan: Partial<OrphanRole> & Partial<RoleGoneServiceAccount>,
): RemoveAccessFormData | undefined {
  if (!orphan.entityRef) return undefined;
  return {
    entity: orphan.entityRef,
    ...(orphan.cluster ? { cluster: orphan.cluster } : {}),
    ...(orphan.namespace ? { namespace: orphan.namespace } : {}),
    ...(orphan.serviceAccount ? { serviceAccount: orphan.serviceAccount } : {}),
    ...(orphan.roleArn ? { roleArn: orphan.roleArn } : {}),
  };
}
