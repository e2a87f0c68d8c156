import {
  IRSA_ROLE_ARN_ANNOTATION,
  KUBERNETES_ID_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  namespaceProblems,
  parseRoleArn,
  type Problem,
  serviceAccountNameProblems,
} from '@backstage-irsa/plugin-irsa-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { ClusterRegistry } from '../config';
import type { KubernetesGateway } from '../kubernetes';
import { guardrailProblems } from './guardrails';
import { throwInputProblems } from './inputProblems';

/** Catalog entity a ServiceAccount was created for; only that entity may change it. */
export const ENTITY_REF_ANNOTATION = 'irsa.backstage.io/entity-ref';

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
  /** Catalog entity, e.g. `component:default/payments-api`. */
  entityRef?: string;
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
 * ServiceAccounts it created (label `app.kubernetes.io/managed-by=backstage-irsa`) are
 * changed; one it did not create is left alone unless it already points at the role.
 */
export class ServiceAccountService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly gatewayFor: KubernetesGatewayFactory,
  ) {}

  async plan(request: ServiceAccountRequest): Promise<ServiceAccountPlan> {
    const problems: Problem[] = [
      ...namespaceProblems(request.namespace, 'namespace'),
      ...serviceAccountNameProblems(request.name, 'serviceAccount'),
    ];
    const role = parseRoleArn(request.roleArn, 'roleArn');
    if (!role.ok) problems.push(...role.problems);
    problems.push(
      ...guardrailProblems(
        { namespace: request.namespace, policyArns: [] },
        this.registry.guardrails,
      ),
    );
    if (problems.length > 0)
      throwInputProblems('ServiceAccount request', problems);
    const cluster = this.registry.get(request.cluster);

    const k8s = this.gatewayFor(cluster.name);
    if (!(await k8s.namespaceExists(request.namespace))) {
      throw new NotFoundError(
        `Namespace "${request.namespace}" does not exist on cluster "${cluster.name}"; ` +
          'create it first (namespaces belong to the team or platform that runs them).',
      );
    }
    const entityName = request.entityRef?.split('/').pop();
    const labels: Record<string, string> = {
      [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
      ...(request.kubernetesId ?? entityName
        ? { [KUBERNETES_ID_LABEL]: (request.kubernetesId ?? entityName)! }
        : {}),
    };
    const annotations: Record<string, string> = {
      [IRSA_ROLE_ARN_ANNOTATION]: request.roleArn,
      ...(request.entityRef
        ? { [ENTITY_REF_ANNOTATION]: request.entityRef }
        : {}),
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
    if (existing.labels[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
      if (current === request.roleArn) return { ...base, state: 'ready' };
      throw new ConflictError(
        `ServiceAccount ${request.namespace}/${request.name} exists on cluster "${cluster.name}" and ` +
          'backstage-irsa did not create it, so it will not change it. Fix: annotate it yourself ' +
          `(kubectl -n ${request.namespace} annotate serviceaccount ${request.name} ` +
          `${IRSA_ROLE_ARN_ANNOTATION}=${request.roleArn}), or choose another name.`,
      );
    }
    const owner = existing.annotations[ENTITY_REF_ANNOTATION];
    if (owner && request.entityRef && owner !== request.entityRef) {
      throw new ConflictError(
        `ServiceAccount ${request.namespace}/${request.name} belongs to ${owner}, not ${request.entityRef}.`,
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
