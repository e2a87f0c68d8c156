import {
  type CheckResult,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type OverviewItem,
  type OverviewPage,
  overallFromChecks,
  SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION,
  IRSA_ROLE_ARN_ANNOTATION,
} from '@backstage-irsa/plugin-irsa-common';
import type { JsonValue } from '@backstage/types';
import type { ClusterRegistry } from '../config';
import type { ServiceAccountRecord } from '../kubernetes';
import { IssuerDiscoveryCache, type LookupAll } from '../outbound';
import { ReadCache } from '../cache';
import { checkBinding } from './bindingChecks';
import { listServiceAccountsOrReport } from './bindingResolver';
import type { AwsGatewayFactory } from './gateways';
import type { KubernetesGatewayFactory } from './ServiceAccountService';

/** What the overview is asked for; filters match exactly. */
export interface OverviewQuery {
  page: number;
  pageSize: number;
  cluster?: string;
  namespace?: string;
  entityRef?: string;
  /** Read every peer anew instead of the cache. */
  fresh?: boolean;
}

interface Row {
  cluster: string;
  record: ServiceAccountRecord;
}

const order = (a: Row, b: Row) =>
  a.cluster.localeCompare(b.cluster) ||
  a.record.namespace.localeCompare(b.record.namespace) ||
  a.record.name.localeCompare(b.record.name);

/**
 * The platform overview: every ServiceAccount the product manages (its ownership label),
 * on every configured cluster, one label-selected list per cluster; the status of the
 * rows of the page asked for, with the same checks as the card. The inventory and each
 * page are reused for `irsa.cache.statusTtlSeconds` and cleared by the product's writes,
 * like status reports. Read-only.
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
    };
    const page = await this.cache.status(
      { overviewPage: key },
      async () => (await this.compute(query, fresh)) as unknown as JsonValue,
      fresh,
    );
    return page as unknown as OverviewPage;
  }

  private async compute(
    query: OverviewQuery,
    fresh: boolean,
  ): Promise<OverviewPage> {
    const { rows, checks } = await this.inventory(fresh);
    const matching = rows.filter(
      r =>
        (!query.cluster || r.cluster === query.cluster) &&
        (!query.namespace || r.record.namespace === query.namespace) &&
        (!query.entityRef ||
          r.record.annotations[
            SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION
          ]?.toLocaleLowerCase('en-US') ===
            query.entityRef.toLocaleLowerCase('en-US')),
    );
    const start = (query.page - 1) * query.pageSize;
    const aws = fresh
      ? (this.options.freshSince ?? (() => this.aws))(Date.now())
      : this.aws;
    const discovery = new IssuerDiscoveryCache(
      this.registry.outbound,
      this.options.lookup,
      this.cache,
      fresh,
    );
    const items = await Promise.all(
      matching
        .slice(start, start + query.pageSize)
        .map(row => this.item(row, aws, discovery)),
    );
    return {
      items,
      total: matching.length,
      page: query.page,
      pageSize: query.pageSize,
      checks,
    };
  }

  /** Every managed ServiceAccount, sorted; reused like a status report. */
  private async inventory(
    fresh: boolean,
  ): Promise<{ rows: Row[]; checks: CheckResult[] }> {
    const found = await this.cache.status(
      { overviewInventory: true },
      async () => {
        const checks: CheckResult[] = [];
        const lists = await Promise.all(
          this.registry.list().map(async cluster =>
            (
              await listServiceAccountsOrReport(
                this.k8sFor,
                cluster,
                {
                  [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
                },
                checks,
              )
            ).map(record => ({ cluster: cluster.name, record })),
          ),
        );
        return {
          rows: lists.flat().sort(order),
          checks,
        } as unknown as JsonValue;
      },
      fresh,
      // An inventory with a cluster missing is not kept: the next request lists again.
      inventory =>
        (inventory as unknown as { checks: CheckResult[] }).checks.length === 0,
    );
    return found as unknown as { rows: Row[]; checks: CheckResult[] };
  }

  private async item(
    row: Row,
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
