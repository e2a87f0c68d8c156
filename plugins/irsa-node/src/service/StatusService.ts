import {
  type BindingReport,
  entityRefOf,
  overallFromBindings,
  overallFromChecks,
  type StatusReport,
} from '@backstage-irsa/plugin-irsa-common';
import type { BindingEntity } from '../access';
import type { ClusterRegistry } from '../config';
import { BindingResolver } from './bindingResolver';
import { checkBinding } from './bindingChecks';
import type { AwsGatewayFactory } from './gateways';
import type { KubernetesGatewayFactory } from './ServiceAccountService';
import { IssuerDiscoveryCache, type LookupAll } from '../outbound';
import { ReadCache } from '../cache';
import type { JsonValue } from '@backstage/types';

/** The part of a catalog entity the status needs. */
export type StatusEntity = BindingEntity;

/**
 * Computes an entity's StatusReport: the ServiceAccounts the product ties to it (see
 * BindingResolver: ownership, not claims) and every check of each. Read-only. With a
 * ReadCache, a report is reused for `irsa.cache.statusTtlSeconds` and its IAM, EKS and
 * issuer reads for `readTtlSeconds`; `fresh` (the card's Refresh) reads everything anew.
 */
export class StatusService {
  private readonly resolver: BindingResolver;
  private readonly cache: ReadCache;
  private readonly freshAws: (since: number) => AwsGatewayFactory;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly aws: AwsGatewayFactory,
    private readonly k8sFor: KubernetesGatewayFactory,
    /** Name resolution for issuer discovery; tests inject their own. */
    private readonly lookup?: LookupAll,
    options: {
      /** Gateways that read only what was read since `since` (ms). */
      freshSince?: (since: number) => AwsGatewayFactory;
      cache?: ReadCache;
    } = {},
  ) {
    this.resolver = new BindingResolver(registry, k8sFor);
    this.cache = options.cache ?? ReadCache.none();
    this.freshAws = options.freshSince ?? (() => aws);
  }

  async getStatus(
    entity: StatusEntity,
    options: { fresh?: boolean } = {},
  ): Promise<StatusReport> {
    const fresh = options.fresh ?? false;
    const report = await this.cache.status(
      entity,
      async () => (await this.compute(entity, fresh)) as unknown as JsonValue,
      fresh,
    );
    return report as unknown as StatusReport;
  }

  private async compute(
    entity: StatusEntity,
    fresh: boolean,
  ): Promise<StatusReport> {
    const entityRef = entityRefOf(entity);
    // Refresh: each key read once for this report, however many bindings share it.
    const aws = fresh ? this.freshAws(Date.now()) : this.aws;
    const { targets, checks: entityChecks } = await this.resolver.resolve(
      entity,
    );
    // One discovery per issuer per request, through the outbound guard; reused across
    // requests while the issuer serves its documents.
    const discovery = new IssuerDiscoveryCache(
      this.registry.outbound,
      this.lookup,
      this.cache,
      fresh,
    );
    const bindings: BindingReport[] = await Promise.all(
      targets.map(async t => {
        const found = await checkBinding(
          t.cluster,
          t.namespace,
          t.name,
          this.k8sFor(t.cluster.name),
          aws,
          entityRef,
          {
            permissionsBoundaryArn:
              this.registry.guardrails.permissionsBoundaryArn,
            trustPolicySizeLimit: this.registry.guardrails.trustPolicySizeLimit,
            discovery,
            serviceAccount: t.record,
          },
        );
        return {
          cluster: t.cluster.name,
          namespace: t.namespace,
          serviceAccount: t.name,
          ...(found.roleArn ? { roleArn: found.roleArn } : {}),
          overall: overallFromChecks(found.checks),
          checks: found.checks,
          pods: found.pods,
        };
      }),
    );
    const entityOverall = overallFromChecks(entityChecks);
    return {
      entityRef,
      generatedAt: new Date().toISOString(),
      overall: entityChecks.some(c => c.status === 'fail')
        ? entityOverall
        : overallFromBindings(bindings),
      bindings,
      checks: entityChecks,
    };
  }

  /**
   * Whether a ServiceAccount is one of the entity's bindings by the ownership rules;
   * verify is limited to those, so no token is minted for anything else.
   */
  async isBindingOf(
    entity: StatusEntity,
    target: { cluster: string; namespace: string; name: string },
  ): Promise<boolean> {
    const { targets } = await this.resolver.resolve(entity);
    return targets.some(
      t =>
        t.cluster.name === target.cluster &&
        t.namespace === target.namespace &&
        t.name === target.name,
    );
  }
}
