import {
  type CheckResult,
  compareOverviewItems,
  type OrphanRole,
  type OrphansPage,
  type OverallStatus,
  type OverviewItem,
  type OverviewPage,
  type OverviewSortKey,
  type OverviewSortOrder,
  overallFromChecks,
  type RoleGoneServiceAccount,
  SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION,
  IRSA_ROLE_ARN_ANNOTATION,
} from '@backstage-irsa/plugin-irsa-common';
import type { JsonValue } from '@backstage/types';
import type { ClusterRegistry } from '../config';
import { IssuerDiscoveryCache, type LookupAll } from '../outbound';
import { ReadCache } from '../cache';
import { checkBinding } from './bindingChecks';
import type { AwsGatewayFactory } from './gateways';
import type { KubernetesGatewayFactory } from './ServiceAccountService';
import {
  type InventoryRow,
  listInventory,
  listManagedRoles,
  listRoleGone,
  type ManagedRole,
} from './overviewInventory';

/** The overview's filters; each matches exactly. */
export interface OverviewFilters {
  cluster?: string;
  namespace?: string;
  entityRef?: string;
  /** Only rows with one of these overall statuses (checks every matching row). */
  status?: OverallStatus[];
  /** Default `cluster` (then namespace and name). */
  sort?: OverviewSortKey;
  order?: OverviewSortOrder;
  /** Read every peer anew instead of the cache. */
  fresh?: boolean;
}

/** What the overview is asked for: a page, with filters and an order. */
export interface OverviewQuery extends OverviewFilters {
  page: number;
  pageSize: number;
}

/** A page of orphans. */
export interface OrphansQuery {
  page: number;
  pageSize: number;
  fresh?: boolean;
  /** Filters, exact, as the overview's; a row without the field does not match it. */
  cluster?: string;
  namespace?: string;
  entityRef?: string;
}

/**
 * Which of `entityRefs` the catalog has, as the reader sees it (lower-cased refs). The
 * router asks the catalog with the reader's credentials; the service holds no catalog.
 */
export type EntitiesFound = (entityRefs: string[]) => Promise<Set<string>>;

const sameRef = (a: string | undefined, b: string) =>
  a?.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/** Whether a leftover matches the query's filters (before paging). */
function leftoverMatches(
  row: { cluster?: string; namespace?: string; entityRef?: string },
  query: OrphansQuery,
): boolean {
  return (
    (!query.cluster || row.cluster === query.cluster) &&
    (!query.namespace || row.namespace === query.namespace) &&
    (!query.entityRef || sameRef(row.entityRef, query.entityRef))
  );
}

/** What a row sorts and filters by before it is checked. */
const rowKey = (row: InventoryRow) => ({
  cluster: row.cluster,
  namespace: row.record.namespace,
  serviceAccount: row.record.name,
  entityRef: row.record.annotations[SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION],
});

function pageOf<T>(items: T[], page: number, pageSize: number): T[] {
  const start = (page - 1) * pageSize;
  return items.slice(start, start + pageSize);
}

/**
 * The platform overview: every ServiceAccount the product manages (its ownership label),
 * on every configured cluster, one label-selected list per cluster; the status of the
 * rows of the page asked for, with the same checks as the card. Sorting by status or
 * filtering by it checks every row the other filters match. The inventory, each row's
 * status and each page are reused for `irsa.cache.statusTtlSeconds` and cleared by the
 * product's writes, like status reports. Also the leftovers: roles of the product whose
 * entity left the catalog, and ServiceAccounts whose role is gone. Read-only.
 */
export class OverviewService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly aws: AwsGatewayFactory,
    private readonly k8sFor: KubernetesGatewayFactory,
    private readonly cache: ReadCache = ReadCache.none(),
    private readonly options: {
      freshSince?: (since: number) => AwsGatewayFactory;
      lookup?: LookupAll;
    } = {},
  ) {}

  async list(query: OverviewQuery): Promise<OverviewPage> {
    const fresh = query.fresh ?? false;
    const key = {
      page: query.page,
      pageSize: query.pageSize,
      cluster: query.cluster,
      namespace: query.namespace,
      entityRef: query.entityRef,
      status: query.status,
      sort: query.sort,
      order: query.order,
    };
    const page = await this.cache.status(
      { overviewPage: key },
      async () => (await this.compute(query, fresh)) as unknown as JsonValue,
      fresh,
      // A page with a cluster missing is not kept: the next request lists again.
      p => (p as unknown as OverviewPage).checks.length === 0,
    );
    return page as unknown as OverviewPage;
  }

  /**
   * Every row the filters match, in the order asked, each checked (the export). Rows are
   * reused from the pages' cache when fresh enough.
   */
  async listAll(
    filters: OverviewFilters,
  ): Promise<{ items: OverviewItem[]; checks: CheckResult[] }> {
    const fresh = filters.fresh ?? false;
    const { rows, checks } = await this.inventory(fresh);
    const items = await this.checkAll(this.matching(rows, filters), fresh);
    return { items: this.statusFiltered(items, filters), checks };
  }

  /**
   * Roles tagged as the product's (`backstage-irsa:managed-by` and
   * `backstage-irsa:entity-ref`), under `irsa.guardrails.rolePath` in every account a
   * cluster's roles may live in, whose entity `found` does not report.
   */
  async orphanRoles(
    query: OrphansQuery,
    found: EntitiesFound,
  ): Promise<OrphansPage<OrphanRole>> {
    const fresh = query.fresh ?? false;
    const managed = (await this.cache.status(
      { overviewManagedRoles: this.registry.guardrails.rolePath },
      async () =>
        (await listManagedRoles(
          this.registry,
          this.awsFor(fresh),
          (
            await this.inventory(fresh)
          ).rows,
        )) as unknown as JsonValue,
      fresh,
      m => (m as unknown as { checks: CheckResult[] }).checks.length === 0,
    )) as unknown as { roles: ManagedRole[]; checks: CheckResult[] };
    // Who may see which entity is the reader's: asked on every request, never cached.
    const refs = [...new Set(managed.roles.map(r => r.entityRef))];
    const existing = refs.length ? await found(refs) : new Set<string>();
    const orphans = managed.roles.filter(
      r =>
        !existing.has(r.entityRef.toLocaleLowerCase('en-US')) &&
        leftoverMatches(r, query),
    );
    return {
      items: pageOf(orphans, query.page, query.pageSize),
      total: orphans.length,
      page: query.page,
      pageSize: query.pageSize,
      checks: managed.checks,
    };
  }

  /** ServiceAccounts the product manages whose annotated role does not exist (P4). */
  async roleGone(
    query: OrphansQuery,
  ): Promise<OrphansPage<RoleGoneServiceAccount>> {
    const fresh = query.fresh ?? false;
    const gone = (await this.cache.status(
      { overviewRoleGone: true },
      async () => {
        const inventory = await this.inventory(fresh);
        const found = await listRoleGone(
          this.registry,
          this.awsFor(fresh),
          inventory.rows,
        );
        return {
          items: found.items,
          checks: [...inventory.checks, ...found.checks],
        } as unknown as JsonValue;
      },
      fresh,
      g => (g as unknown as { checks: CheckResult[] }).checks.length === 0,
    )) as unknown as {
      items: RoleGoneServiceAccount[];
      checks: CheckResult[];
    };
    const items = gone.items.filter(r => leftoverMatches(r, query));
    return {
      items: pageOf(items, query.page, query.pageSize),
      total: items.length,
      page: query.page,
      pageSize: query.pageSize,
      checks: gone.checks,
    };
  }

  private awsFor(fresh: boolean): AwsGatewayFactory {
    return fresh
      ? (this.options.freshSince ?? (() => this.aws))(Date.now())
      : this.aws;
  }

  private matching(rows: InventoryRow[], filters: OverviewFilters) {
    return rows
      .filter(
        r =>
          (!filters.cluster || r.cluster === filters.cluster) &&
          (!filters.namespace || r.record.namespace === filters.namespace) &&
          (!filters.entityRef ||
            sameRef(
              r.record.annotations[SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION],
              filters.entityRef,
            )),
      )
      .sort((a, b) =>
        // Sorting by status needs the checks: these rows are sorted again once checked.
        compareOverviewItems(
          rowKey(a),
          rowKey(b),
          filters.sort === 'status' ? 'cluster' : filters.sort,
          filters.sort === 'status' ? 'asc' : filters.order,
        ),
      );
  }

  private statusFiltered(items: OverviewItem[], filters: OverviewFilters) {
    const wanted = filters.status?.length ? filters.status : undefined;
    const kept = wanted ? items.filter(i => wanted.includes(i.overall)) : items;
    return filters.sort === 'status'
      ? [...kept].sort((a, b) =>
          compareOverviewItems(a, b, 'status', filters.order),
        )
      : kept;
  }

  private async compute(
    query: OverviewQuery,
    fresh: boolean,
  ): Promise<OverviewPage> {
    const { rows, checks } = await this.inventory(fresh);
    const matching = this.matching(rows, query);
    const byStatus = query.sort === 'status' || Boolean(query.status?.length);
    let items: OverviewItem[];
    let total: number;
    if (byStatus) {
      const all = this.statusFiltered(
        await this.checkAll(matching, fresh),
        query,
      );
      items = pageOf(all, query.page, query.pageSize);
      total = all.length;
    } else {
      items = await this.checkAll(
        pageOf(matching, query.page, query.pageSize),
        fresh,
      );
      total = matching.length;
    }
    return {
      items,
      total,
      page: query.page,
      pageSize: query.pageSize,
      checks,
    };
  }

  /** Each row's item, reused like a status report (its own content is in the key). */
  private checkAll(rows: InventoryRow[], fresh: boolean) {
    const aws = this.awsFor(fresh);
    const discovery = new IssuerDiscoveryCache(
      this.registry.outbound,
      this.options.lookup,
      this.cache,
      fresh,
    );
    return Promise.all(
      rows.map(
        async row =>
          (await this.cache.status(
            { overviewRow: row },
            async () =>
              (await this.item(row, aws, discovery)) as unknown as JsonValue,
            fresh,
          )) as unknown as OverviewItem,
      ),
    );
  }

  /** Every managed ServiceAccount, sorted; reused like a status report. */
  private async inventory(
    fresh: boolean,
  ): Promise<{ rows: InventoryRow[]; checks: CheckResult[] }> {
    const found = await this.cache.status(
      { overviewInventory: true },
      async () =>
        (await listInventory(
          this.registry,
          this.k8sFor,
        )) as unknown as JsonValue,
      fresh,
      // An inventory with a cluster missing is not kept: the next request lists again.
      inventory =>
        (inventory as unknown as { checks: CheckResult[] }).checks.length === 0,
    );
    return found as unknown as { rows: InventoryRow[]; checks: CheckResult[] };
  }

  private async item(
    row: InventoryRow,
    aws: AwsGatewayFactory,
    discovery: IssuerDiscoveryCache,
  ): Promise<OverviewItem> {
    const { record } = row;
    const entityRef = record.annotations[SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION];
    const found = await checkBinding(
      this.registry.get(row.cluster),
      record.namespace,
      record.name,
      this.k8sFor(row.cluster),
      aws,
      entityRef ?? '(no entity)',
      {
        permissionsBoundaryArn: this.registry.guardrails.permissionsBoundaryArn,
        trustPolicySizeLimit: this.registry.guardrails.trustPolicySizeLimit,
        discovery,
        serviceAccount: record,
      },
    );
    const problem =
      found.checks.find(c => c.status === 'fail') ??
      found.checks.find(c => c.status === 'unknown');
    const roleArn = record.annotations[IRSA_ROLE_ARN_ANNOTATION];
    return {
      cluster: row.cluster,
      namespace: record.namespace,
      serviceAccount: record.name,
      ...(entityRef ? { entityRef } : {}),
      ...(roleArn ? { roleArn } : {}),
      overall: overallFromChecks(found.checks),
      ...(problem ? { problem } : {}),
    };
  }
}
