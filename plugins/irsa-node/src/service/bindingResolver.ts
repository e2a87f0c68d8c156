import {
  entityRefOf,
  IRSA_SERVICE_ACCOUNTS_ANNOTATION,
  ENTITY_HASH_LABEL,
  KUBERNETES_ID_LABEL,
  parseServiceAccountsAnnotation,
  type CheckResult,
  createCheckResult,
} from '@backstage-irsa/plugin-irsa-common';
import type { BindingEntity } from '../access';
import { namespaceRefusal } from '../access/bindingPolicy';
import type { ClusterRegistry, IrsaClusterConfig } from '../config';
import type { ServiceAccountRecord } from '../kubernetes';
import type { KubernetesGatewayFactory } from './ServiceAccountService';
import { entityHashLabelValue } from './entityHashLabel';
import {
  isServiceAccountOf,
  serviceAccountOwner,
} from './serviceAccountOwnership';

/** A ServiceAccount the product ties to an entity. */
export interface BindingTarget {
  cluster: IrsaClusterConfig;
  namespace: string;
  name: string;
  /**
   * The ServiceAccount as the resolver read it (null: read, and absent), so the checks do
   * not read it again; undefined when it was not read.
   */
  record?: ServiceAccountRecord | null;
}

/** The entity's bindings, and a check for each claim that was not honoured. */
export interface ResolvedBindings {
  targets: BindingTarget[];
  checks: CheckResult[];
}

const sameRef = (a: string | undefined, b: string) =>
  a !== undefined &&
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

const key = (t: {
  cluster: { name: string };
  namespace: string;
  name: string;
}) => `${t.cluster.name}/${t.namespace}/${t.name}`;

/**
 * Which ServiceAccounts are an entity's bindings. Ownership, not claims: a ServiceAccount
 * counts when the product's ownership record on it (label `app.kubernetes.io/managed-by`
 * + annotation `irsa.backstage.io/entity-ref` when the product created it, annotation
 * `irsa.backstage.io/adopted-by` when it adopted it) names the entity, or — for ServiceAccounts
 * made outside the template — when the entity's annotation or kubernetes-id label names
 * it *and* it lives in a namespace the entity may use. A ServiceAccount in a namespace the
 * guardrails deny is never read. Everything refused is reported as a P9 check, so the
 * card says why a named ServiceAccount is missing.
 */
export class BindingResolver {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly k8sFor: KubernetesGatewayFactory,
  ) {}

  async resolve(entity: BindingEntity): Promise<ResolvedBindings> {
    const entityRef = entityRefOf(entity);
    const checks: CheckResult[] = [];
    const targets = new Map<string, BindingTarget>();
    const clusters = this.registry.list();

    // 1. ServiceAccounts the product created or adopted for this entity: one
    // label-selected list per cluster (the hash label, which both carry, is the index; the
    // ownership record below decides). Adopted ones keep their creator's managed-by label,
    // so the list selects by the hash label alone.
    const ownedLists = await Promise.all(
      clusters.map(cluster =>
        this.listOrReport(
          cluster,
          { [ENTITY_HASH_LABEL]: entityHashLabelValue(entityRef) },
          checks,
        ),
      ),
    );
    for (const [i, cluster] of clusters.entries()) {
      const owned = ownedLists[i];
      for (const sa of owned) {
        if (
          isServiceAccountOf(sa, entityRef) &&
          !namespaceRefusal(this.registry, entity, sa.namespace)?.guardrail
        ) {
          const t = {
            cluster,
            namespace: sa.namespace,
            name: sa.name,
            record: sa,
          };
          targets.set(key(t), t);
        }
      }
    }

    // 2. What the entity claims: its annotation, else its kubernetes-id label.
    const claims = await this.claims(entity, clusters, checks);
    // What the template made that the claims do not name: where a claimed ServiceAccount
    // that does not exist most likely went (P11).
    const claimed = new Set(claims.map(key));
    const madeElsewhere = [...targets.values()].filter(
      t => !claimed.has(key(t)),
    );
    const missingClaims: BindingTarget[] = [];
    for (const claim of claims) {
      if (targets.has(key(claim))) continue;
      const where = `${claim.namespace}/${claim.name} on cluster ${claim.cluster.name}`;
      const refusal = namespaceRefusal(this.registry, entity, claim.namespace);
      if (refusal?.guardrail) {
        checks.push(
          createCheckResult(
            'P9',
            'fail',
            `${where} is not checked: ${refusal.reason}`,
          ),
        );
        continue;
      }
      let sa: ServiceAccountRecord | undefined;
      try {
        sa =
          claim.record !== undefined
            ? claim.record ?? undefined
            : await this.k8sFor(claim.cluster.name).getServiceAccount(
                claim.namespace,
                claim.name,
              );
      } catch (e) {
        checks.push(
          createCheckResult(
            'P8',
            'unknown',
            `Could not read ${where}: ${(e as Error).message}`,
          ),
        );
        continue;
      }
      const record = sa ? serviceAccountOwner(sa) : undefined;
      const owner =
        record && (record.how === 'unnamed' ? '(no entity)' : record.entityRef);
      if (owner !== undefined && !sameRef(owner, entityRef)) {
        checks.push(
          createCheckResult(
            'P9',
            'fail',
            `${where} was ${
              record?.how === 'adopted' ? 'adopted' : 'created'
            } by backstage-irsa for ${owner}, not ${entityRef}; it is not checked or verified for this entity.`,
          ),
        );
        continue;
      }
      if (owner === undefined && refusal) {
        checks.push(
          createCheckResult(
            'P9',
            'fail',
            `${where} is not checked: ${entityRef} may not use namespace "${claim.namespace}". ${refusal.reason}`,
          ),
        );
        continue;
      }
      if (!sa && madeElsewhere.length > 0) {
        missingClaims.push(claim);
        continue;
      }
      targets.set(key(claim), { ...claim, record: sa ?? null });
    }
    if (missingClaims.length > 0) {
      checks.push(staleClaimCheck(missingClaims, madeElsewhere));
    }
    return { targets: [...targets.values()], checks };
  }

  /** The entity's claimed ServiceAccounts; P6/P1 checks for bad annotations. */
  private async claims(
    entity: BindingEntity,
    clusters: IrsaClusterConfig[],
    checks: CheckResult[],
  ): Promise<BindingTarget[]> {
    const annotations = entity.metadata.annotations ?? {};
    const explicit = annotations[IRSA_SERVICE_ACCOUNTS_ANNOTATION];
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
      const out: BindingTarget[] = [];
      for (const ref of parsed.value) {
        const named = ref.cluster
          ? clusters.filter(c => c.name === ref.cluster)
          : clusters;
        if (ref.cluster && named.length === 0) {
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
        for (const cluster of named) {
          out.push({ cluster, namespace: ref.namespace, name: ref.name });
        }
      }
      return out;
    }
    const kubernetesId = annotations[KUBERNETES_ID_LABEL];
    if (!kubernetesId) return [];
    const out: BindingTarget[] = [];
    const labelledLists = await Promise.all(
      clusters.map(cluster =>
        this.listOrReport(
          cluster,
          { [KUBERNETES_ID_LABEL]: kubernetesId },
          checks,
        ),
      ),
    );
    for (const [i, cluster] of clusters.entries()) {
      const labelled = labelledLists[i];
      out.push(
        ...labelled.map(sa => ({
          cluster,
          namespace: sa.namespace,
          name: sa.name,
          record: sa,
        })),
      );
    }
    return out;
  }

  private listOrReport(
    cluster: IrsaClusterConfig,
    labels: Record<string, string>,
    checks: CheckResult[],
  ): Promise<ServiceAccountRecord[]> {
    return listServiceAccountsOrReport(this.k8sFor, cluster, labels, checks);
  }
}

/**
 * The cluster's ServiceAccounts with all of `labels`; when the cluster cannot be listed,
 * none, and a P8 check in `checks` saying why.
 */
export async function listServiceAccountsOrReport(
  k8sFor: KubernetesGatewayFactory,
  cluster: IrsaClusterConfig,
  labels: Record<string, string>,
  checks: CheckResult[],
): Promise<ServiceAccountRecord[]> {
  try {
    return await k8sFor(cluster.name).listServiceAccountsByLabels(labels);
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
}

const refOf = (t: BindingTarget) =>
  `${t.cluster.name}/${t.namespace}/${t.name}`;

/**
 * P11: the annotation names ServiceAccounts that do not exist while the product made others
 * for the entity (the template ran with another namespace or name). The missing ones are
 * not reported as broken bindings, since the entity's access lives in the ones made; the
 * detail gives the exact annotation value that names those.
 */
function staleClaimCheck(
  missing: BindingTarget[],
  made: BindingTarget[],
): CheckResult {
  const list = (ts: BindingTarget[]) =>
    ts
      .map(t => `${t.namespace}/${t.name} on cluster ${t.cluster.name}`)
      .join(', ');
  return createCheckResult(
    'P11',
    'warn',
    `${IRSA_SERVICE_ACCOUNTS_ANNOTATION} names ${list(
      missing,
    )}, which does not exist; ` +
      `backstage-irsa made ${list(
        made,
      )} for this entity. Replace the annotation with ` +
      `"${IRSA_SERVICE_ACCOUNTS_ANNOTATION}: ${made
        .map(refOf)
        .join(', ')}", or remove it.`,
  );
}
