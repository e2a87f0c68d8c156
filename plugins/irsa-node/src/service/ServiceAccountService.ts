import {
  IRSA_ROLE_ARN_ANNOTATION,
  KUBERNETES_ID_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  namespaceProblems,
  parseRoleArn,
  type Problem,
  SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION,
  serviceAccountNameProblems,
} from '@backstage-irsa/plugin-irsa-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { ClusterRegistry } from '../config';
import type { KubernetesGateway } from '../kubernetes';
import { guardrailProblems } from './guardrails';
import { ownedServiceAccountLabels } from './entityHashLabel';
import { throwInputProblems } from './inputProblems';

/**
 * Catalog entity a ServiceAccount was created for; only that entity may change it.
 * Same as `SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION` of irsa-common.
 */
export const ENTITY_REF_ANNOTATION = SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION;

// Kubernetes label values: at most 63 characters, alphanumeric at both ends.
const LABEL_VALUE = /^[A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

/** Builds the gateway for a configured cluster. */
export type KubernetesGatewayFactory = (
  clusterName: string,
) => KubernetesGateway;

/** A request for a ServiceAccount that carries an IAM role. */
export interface ServiceAccountRequest {
  cluster: string;
  namespace: string;
  name: string;
  roleArn: string;
  /** Catalog entity, canonical, e.g. `component:default/payments-api`: the owner record. */
  entityRef: string;
  /** Value of the `backstage.io/kubernetes-id` label; the entity's name by default. */
  kubernetesId?: string;
}

/** What `ensure` would do, found with reads only (a JSON value for checkpoints). */
export type ServiceAccountPlan = {
  cluster: string;
  namespace: string;
  name: string;
  roleArn: string;
  state: 'missing' | 'update' | 'ready';
  labels: Record<string, string>;
  annotations: Record<string, string>;
};

/**
 * Creates or annotates the ServiceAccount that carries an IRSA role — step four. Only
 * ServiceAccounts it created for the same entity (label
 * `app.kubernetes.io/managed-by=backstage-irsa` and annotation
 * `irsa.backstage.io/entity-ref`) are changed; one it did not create (Helm's, a team's) is
 * left alone unless it already points at the role, and one of another entity is refused.
 */
export class ServiceAccountService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly gatewayFor: KubernetesGatewayFactory,
  ) {}

  /** Every input problem at once, before any cluster call. */
  validate(request: ServiceAccountRequest): void {
    const problems: Problem[] = [
      ...namespaceProblems(request.namespace, 'namespace'),
      ...serviceAccountNameProblems(request.name, 'serviceAccount'),
    ];
    const role = parseRoleArn(request.roleArn, 'roleArn');
    if (!role.ok) problems.push(...role.problems);
    if (request.kubernetesId && !LABEL_VALUE.test(request.kubernetesId)) {
      problems.push({
        field: 'kubernetesId',
        message: `kubernetesId "${request.kubernetesId}" is not a Kubernetes label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).`,
      });
    }
    problems.push(
      ...guardrailProblems(
        { namespace: request.namespace, policyArns: [] },
        this.registry.guardrails,
      ),
    );
    if (problems.length > 0)
      throwInputProblems('ServiceAccount request', problems);
  }

  async plan(request: ServiceAccountRequest): Promise<ServiceAccountPlan> {
    this.validate(request);
    const cluster = this.registry.get(request.cluster);

    const k8s = this.gatewayFor(cluster.name);
    if (!(await k8s.namespaceExists(request.namespace))) {
      throw new NotFoundError(
        `Namespace "${request.namespace}" does not exist on cluster "${cluster.name}"; ` +
          'create it first (namespaces belong to the team or platform that runs them).',
      );
    }
    const entityName = request.entityRef.split('/').pop()!;
    const labels: Record<string, string> = {
      ...ownedServiceAccountLabels(request.entityRef),
      [KUBERNETES_ID_LABEL]: request.kubernetesId || entityName,
    };
    const annotations: Record<string, string> = {
      [IRSA_ROLE_ARN_ANNOTATION]: request.roleArn,
      [ENTITY_REF_ANNOTATION]: request.entityRef,
    };
    const base = {
      cluster: cluster.name,
      namespace: request.namespace,
      name: request.name,
      roleArn: request.roleArn,
      labels,
      annotations,
    };

    const existing = await k8s.getServiceAccount(
      request.namespace,
      request.name,
    );
    if (!existing) return { ...base, state: 'missing' };
    const current = existing.annotations[IRSA_ROLE_ARN_ANNOTATION];
    const where = `ServiceAccount ${request.namespace}/${request.name} on cluster "${cluster.name}"`;
    const manager = existing.labels[MANAGED_BY_LABEL];
    if (manager !== MANAGED_BY_VALUE) {
      // Not ours. Already carrying this role means nothing to write; otherwise refuse.
      if (current === request.roleArn) return { ...base, state: 'ready' };
      const helm =
        manager === 'Helm' ||
        existing.annotations['meta.helm.sh/release-name'] !== undefined;
      throw new ConflictError(
        helm
          ? `${where} is managed by Helm (release ${
              existing.annotations['meta.helm.sh/release-name'] ?? 'unknown'
            }), so backstage-irsa will not change it: Helm would undo it. Fix: set ` +
            `serviceAccount.annotations."${IRSA_ROLE_ARN_ANNOTATION}": ${request.roleArn} in the chart's values.`
          : `${where} exists and backstage-irsa did not create it${
              manager ? ` (managed by ${manager})` : ''
            }, so it will not change it. Fix: have its owner annotate it ` +
            `(kubectl -n ${request.namespace} annotate serviceaccount ${request.name} ` +
            `${IRSA_ROLE_ARN_ANNOTATION}=${request.roleArn}), or choose another name.`,
      );
    }
    const owner = existing.annotations[ENTITY_REF_ANNOTATION];
    if (!owner) {
      throw new ConflictError(
        `${where} is labelled as managed by backstage-irsa but has no ${ENTITY_REF_ANNOTATION} annotation, ` +
          'so no entity can be shown to own it and it will not be changed. Choose another name, or have a ' +
          `platform admin annotate it with ${ENTITY_REF_ANNOTATION}=<its entity>.`,
      );
    }
    if (
      owner.toLocaleLowerCase('en-US') !==
      request.entityRef.toLocaleLowerCase('en-US')
    ) {
      throw new ConflictError(
        `${where} belongs to ${owner}, not ${request.entityRef}; choose another ServiceAccount name, ` +
          `or ask the owners of ${owner}.`,
      );
    }
    const upToDate =
      current === request.roleArn &&
      Object.entries(labels).every(([k, v]) => existing.labels[k] === v);
    return { ...base, state: upToDate ? 'ready' : 'update' };
  }

  async create(plan: ServiceAccountPlan): Promise<void> {
    try {
      await this.gatewayFor(plan.cluster).createServiceAccount({
        namespace: plan.namespace,
        name: plan.name,
        labels: plan.labels,
        annotations: plan.annotations,
      });
    } catch (e) {
      // Created concurrently since the plan: decide again instead of failing the task.
      if ((e as Error).name === 'ConflictError') {
        const again = await this.plan({
          ...plan,
          entityRef: plan.annotations[ENTITY_REF_ANNOTATION],
          kubernetesId: plan.labels[KUBERNETES_ID_LABEL],
        });
        if (again.state === 'update') await this.update(again);
        return;
      }
      throw e;
    }
  }

  async update(plan: ServiceAccountPlan): Promise<void> {
    await this.gatewayFor(plan.cluster).patchServiceAccountMetadata(
      plan.namespace,
      plan.name,
      { labels: plan.labels, annotations: plan.annotations },
    );
  }
}
