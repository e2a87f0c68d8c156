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

/** The part of a catalog entity the status needs. */
export type StatusEntity = BindingEntity;

/**
 * Computes an entity's StatusReport: the ServiceAccounts the product ties to it (see
 * BindingResolver: ownership, not claims) and every check of each. Read-only.
 */
export class StatusService {
  private readonly resolver: BindingResolver;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly aws: AwsGatewayFactory,
    private readonly k8sFor: KubernetesGatewayFactory,
    /** Name resolution for issuer discovery; tests inject their own. */
    private readonly lookup?: LookupAll,
  ) {
    this.resolver = new BindingResolver(registry, k8sFor);
  }

  async getStatus(entity: StatusEntity): Promise<StatusReport> {
    const entityRef = entityRefOf(entity);
    const { targets, checks: entityChecks } = await this.resolver.resolve(
      entity,
    );
    // One discovery per issuer per request, through the outbound guard.
    const discovery = new IssuerDiscoveryCache(
      this.registry.outbound,
      this.lookup,
    );
    const bindings: BindingReport[] = await Promise.all(
      targets.map(async t => {
        const found = await checkBinding(
          t.cluster,
          t.namespace,
          t.name,
          this.k8sFor(t.cluster.name),
          this.aws,
          entityRef,
          {
            permissionsBoundaryArn:
              this.registry.guardrails.permissionsBoundaryArn,
            trustPolicySizeLimit: this.registry.guardrails.trustPolicySizeLimit,
            discovery,
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
