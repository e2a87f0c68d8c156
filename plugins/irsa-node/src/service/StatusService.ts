import {
  type BindingReport,
  type CheckResult,
  createCheckResult,
  IRSA_SERVICE_ACCOUNTS_ANNOTATION,
  KUBERNETES_ID_LABEL,
  overallFromBindings,
  overallFromChecks,
  parseServiceAccountsAnnotation,
  type StatusReport,
} from '@backstage-irsa/plugin-irsa-common';
import type { ClusterRegistry, IrsaClusterConfig } from '../config';
import { checkBinding } from './bindingChecks';
import type { AwsGatewayFactory } from './gateways';
import type { KubernetesGatewayFactory } from './ServiceAccountService';

/** The part of a catalog entity the status needs. */
export interface StatusEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string | undefined>;
  };
}

interface Target {
  cluster: IrsaClusterConfig;
  namespace: string;
  name: string;
}

/**
 * Computes an entity's StatusReport: which ServiceAccounts carry its AWS access (the
 * `irsa.backstage.io/service-accounts` annotation, else ServiceAccounts labelled with its
 * `backstage.io/kubernetes-id`), and every check of each. Read-only.
 */
export class StatusService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly aws: AwsGatewayFactory,
    private readonly k8sFor: KubernetesGatewayFactory,
  ) {}

  async getStatus(entity: StatusEntity): Promise<StatusReport> {
    const entityRef = `${entity.kind.toLocaleLowerCase('en-US')}:${
      entity.metadata.namespace ?? 'default'
    }/${entity.metadata.name}`;
    const entityChecks: CheckResult[] = [];
    const targets = await this.findTargets(entity, entityChecks);
    const bindings: BindingReport[] = await Promise.all(
      targets.map(async t => {
        const found = await checkBinding(
          t.cluster,
          t.namespace,
          t.name,
          this.k8sFor(t.cluster.name),
          this.aws,
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

  /** Whether a ServiceAccount is one of the entity's bindings (verify is limited to those). */
  async isBindingOf(
    entity: StatusEntity,
    target: { cluster: string; namespace: string; name: string },
  ): Promise<boolean> {
    const targets = await this.findTargets(entity, []);
    return targets.some(
      t =>
        t.cluster.name === target.cluster &&
        t.namespace === target.namespace &&
        t.name === target.name,
    );
  }

  private async findTargets(
    entity: StatusEntity,
    checks: CheckResult[],
  ): Promise<Target[]> {
    const annotations = entity.metadata.annotations ?? {};
    const explicit = annotations[IRSA_SERVICE_ACCOUNTS_ANNOTATION];
    const clusters = this.registry.list();
    if (explicit) {
      const parsed = parseServiceAccountsAnnotation(explicit);
      if (!parsed.ok) {
        checks.push(
          createCheckResult(
            'P6',
            'fail',
            parsed.problems.map(p => p.message).join(' '),
          ),
        );
        return [];
      }
      checks.push(
        createCheckResult(
          'P6',
          'pass',
          `${IRSA_SERVICE_ACCOUNTS_ANNOTATION}: ${explicit}`,
        ),
      );
      const targets: Target[] = [];
      for (const ref of parsed.value) {
        if (ref.cluster === undefined) {
          targets.push(
            ...clusters.map(cluster => ({
              cluster,
              namespace: ref.namespace,
              name: ref.name,
            })),
          );
          continue;
        }
        const cluster = clusters.find(c => c.name === ref.cluster);
        if (cluster) {
          targets.push({ cluster, namespace: ref.namespace, name: ref.name });
        } else {
          checks.push(
            createCheckResult(
              'P1',
              'fail',
              `Cluster "${
                ref.cluster
              }" is not in irsa.clusters (configured: ${clusters
                .map(c => c.name)
                .join(', ')}).`,
            ),
          );
        }
      }
      return targets;
    }
    const kubernetesId = annotations[KUBERNETES_ID_LABEL];
    if (!kubernetesId) return [];
    const found = await Promise.all(
      clusters.map(async cluster => {
        try {
          const sas = await this.k8sFor(
            cluster.name,
          ).listServiceAccountsByLabel(KUBERNETES_ID_LABEL, kubernetesId);
          return sas.map(sa => ({
            cluster,
            namespace: sa.namespace,
            name: sa.name,
          }));
        } catch (e) {
          checks.push(
            createCheckResult(
              'P8',
              'unknown',
              `Could not list ServiceAccounts on cluster ${cluster.name}: ${
                (e as Error).message
              }`,
            ),
          );
          return [];
        }
      }),
    );
    return found.flat();
  }
}
