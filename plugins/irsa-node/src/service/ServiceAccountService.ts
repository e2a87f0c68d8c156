import {
  ENTITY_HASH_LABEL,
  IRSA_ROLE_ARN_ANNOTATION,
  KUBERNETES_ID_LABEL,
  namespaceProblems,
  parseRoleArn,
  type Problem,
  SERVICE_ACCOUNT_ADOPTED_BY_ANNOTATION,
  SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION,
  SERVICE_ACCOUNT_FIELD_MANAGER,
  serviceAccountNameProblems,
} from '@backstage-irsa/plugin-irsa-common';
import { ConflictError, isError, NotFoundError } from '@backstage/errors';
import type { ClusterRegistry } from '../config';
import {
  FieldManagerConflictError,
  type KubernetesGateway,
  type ServiceAccountRecord,
} from '../kubernetes';
import { guardrailProblems } from './guardrails';
import {
  entityHashLabelValue,
  ownedServiceAccountLabels,
} from './entityHashLabel';
import { throwInputProblems } from './inputProblems';
import {
  type AdoptionPlan,
  conflictExplanation,
  creatorOf,
} from './serviceAccountAdoption';
import { sameEntityRef, serviceAccountOwner } from './serviceAccountOwnership';

export type { AdoptionPlan } from './serviceAccountAdoption';
export { afterAdoptionNote } from './serviceAccountAdoption';

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
  /**
   * Adopt a ServiceAccount someone else created (Helm's, a team's) instead of refusing it:
   * the explicit opt-in of `k8s:create-sa`'s `adoptExisting`. Default false.
   */
  adoptExisting?: boolean;
}

/**
 * Throws unless `roleArn` is a role the product made for `entityRef` and may be used on
 * the cluster: RoleService.assertRoleOfEntity.
 */
export type RoleOwnershipCheck = (
  roleArn: string,
  entityRef: string,
  cluster: string,
) => Promise<void>;

/** What `ensure` would do, found with reads only (a JSON value for checkpoints). */
export type ServiceAccountPlan = {
  cluster: string;
  namespace: string;
  name: string;
  roleArn: string;
  /** `adopt`: server-side apply of `labels` and `annotations` to a ServiceAccount not created by the product. */
  state: 'missing' | 'update' | 'ready' | 'adopt';
  /** What a create or update writes; for an adopted ServiceAccount, exactly what the apply sets. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Set when the ServiceAccount is, or is being, adopted. */
  adoption?: AdoptionPlan;
};

/**
 * Creates or annotates the ServiceAccount that carries an IRSA role — step four. Only
 * ServiceAccounts it created for the same entity (label
 * `app.kubernetes.io/managed-by=backstage-irsa` and annotation
 * `irsa.backstage.io/entity-ref`) or adopted for it (annotation
 * `irsa.backstage.io/adopted-by`) are changed; one it did not create (Helm's, a team's) is
 * left alone unless it already points at the role or the request opts in to adopt it, and
 * one of another entity is refused.
 */
export class ServiceAccountService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly gatewayFor: KubernetesGatewayFactory,
    /** Without it, adoption never replaces a role annotation. */
    private readonly roleOwnership?: RoleOwnershipCheck,
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
    const owner = serviceAccountOwner(existing);
    if (!owner) {
      // Not ours. Already carrying this role means nothing to write; otherwise refuse,
      // unless the requester opted in to adopt it.
      if (request.adoptExisting) {
        return this.planAdoption(existing, request, base, where, true);
      }
      if (current === request.roleArn) return { ...base, state: 'ready' };
      throw new ConflictError(refusalOfForeign(existing, request, where));
    }
    if (owner.how === 'unnamed') {
      throw new ConflictError(
        `${where} is labelled as managed by backstage-irsa but has no ${ENTITY_REF_ANNOTATION} annotation, ` +
          'so no entity can be shown to own it and it will not be changed. Choose another name, or have a ' +
          `platform admin annotate it with ${ENTITY_REF_ANNOTATION}=<its entity>.`,
      );
    }
    if (!sameEntityRef(owner.entityRef, request.entityRef)) {
      throw new ConflictError(
        `${where} ${
          owner.how === 'adopted'
            ? 'was adopted by backstage-irsa for'
            : 'belongs to'
        } ${owner.entityRef}, not ${
          request.entityRef
        }; choose another ServiceAccount name, ` +
          `or ask the owners of ${owner.entityRef}.`,
      );
    }
    if (owner.how === 'adopted') {
      return this.planAdoption(existing, request, base, where, false);
    }
    const upToDate =
      current === request.roleArn &&
      Object.entries(labels).every(([k, v]) => existing.labels[k] === v);
    return { ...base, state: upToDate ? 'ready' : 'update' };
  }

  /**
   * Adoption of a ServiceAccount the product did not create: a server-side apply, as field
   * manager `backstage-irsa`, of only
   * - the role annotation `eks.amazonaws.com/role-arn`,
   * - the ownership record `irsa.backstage.io/adopted-by=<entity ref>`: an annotation of
   *   its own, because `app.kubernetes.io/managed-by` is the creator's (Helm sets `Helm`
   *   and its next upgrade would set it back) and `irsa.backstage.io/entity-ref` is read
   *   with that label as the record of ServiceAccounts the product created,
   * - the index label `irsa.backstage.io/entity-hash`, so the entity's card lists it,
   * - `backstage.io/kubernetes-id` only when it is absent or already has this value
   *   (a value the creator set is the creator's to keep).
   * A role annotation already naming another role is replaced only when that role is a
   * managed role of the same entity: the entity then only moves between its own roles,
   * while pointing another team's ServiceAccount away from their role would take from its
   * pods, at their next restart, whatever that role grants them.
   */
  private async planAdoption(
    existing: ServiceAccountRecord,
    request: ServiceAccountRequest,
    base: Omit<ServiceAccountPlan, 'state'>,
    where: string,
    first: boolean,
  ): Promise<ServiceAccountPlan> {
    const current = existing.annotations[IRSA_ROLE_ARN_ANNOTATION];
    if (current && current !== request.roleArn) {
      await this.assertReplaceable(current, request, where);
    }
    if (!existing.uid || !existing.resourceVersion) {
      throw new Error(
        `${where} was read without uid or resourceVersion; it cannot be adopted safely.`,
      );
    }
    const kubernetesId =
      request.kubernetesId || request.entityRef.split('/').pop()!;
    const present = existing.labels[KUBERNETES_ID_LABEL];
    const labels: Record<string, string> = {
      [ENTITY_HASH_LABEL]: entityHashLabelValue(request.entityRef),
      ...(present === undefined || present === kubernetesId
        ? { [KUBERNETES_ID_LABEL]: kubernetesId }
        : {}),
    };
    const annotations: Record<string, string> = {
      [IRSA_ROLE_ARN_ANNOTATION]: request.roleArn,
      [SERVICE_ACCOUNT_ADOPTED_BY_ANNOTATION]: request.entityRef,
    };
    const creator = creatorOf(existing);
    const adoption: AdoptionPlan = {
      first,
      entityRef: request.entityRef,
      ...(request.kubernetesId ? { kubernetesId: request.kubernetesId } : {}),
      uid: existing.uid,
      resourceVersion: existing.resourceVersion,
      ...(creator.managedBy ? { managedBy: creator.managedBy } : {}),
      ...(creator.helmRelease ? { helmRelease: creator.helmRelease } : {}),
      ...(current && current !== request.roleArn
        ? { replacesRoleArn: current }
        : {}),
      ...(present !== undefined && present !== kubernetesId
        ? { keptKubernetesId: present }
        : {}),
    };
    const upToDate =
      Object.entries(labels).every(([k, v]) => existing.labels[k] === v) &&
      Object.entries(annotations).every(
        ([k, v]) => existing.annotations[k] === v,
      );
    return {
      ...base,
      labels,
      annotations,
      adoption,
      state: upToDate ? 'ready' : 'adopt',
    };
  }

  /** Refuses to replace `current` unless it is a managed role of the requesting entity. */
  private async assertReplaceable(
    current: string,
    request: ServiceAccountRequest,
    where: string,
  ): Promise<void> {
    const refuse = (why: string) =>
      new ConflictError(
        `${where} already points at role ${current}, ${why}. Adopting it would switch its pods from that role ` +
          `to ${request.roleArn} at their next restart, taking away whatever that role grants them, so it is ` +
          'not replaced and nothing was changed. Fix: have the owner of the ServiceAccount remove or change ' +
          `its ${IRSA_ROLE_ARN_ANNOTATION} annotation (in the chart's values for Helm), or choose another ServiceAccount.`,
      );
    if (!this.roleOwnership) {
      throw refuse('which cannot be checked to be a role of the same entity');
    }
    try {
      await this.roleOwnership(current, request.entityRef, request.cluster);
    } catch (e) {
      if (
        isError(e) &&
        [
          'InputError',
          'NotFoundError',
          'ConflictError',
          'NotAllowedError',
        ].includes(e.name)
      ) {
        throw refuse(
          `which is not a role backstage-irsa made for ${request.entityRef} (${e.message})`,
        );
      }
      throw e;
    }
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

  /**
   * Applies an adoption plan (state `adopt`) with server-side apply: only the plan's labels
   * and annotations, as field manager `backstage-irsa`, never forced, and only to the
   * ServiceAccount the plan read. A field another manager owns with another value refuses
   * the whole apply (ConflictError explaining who owns it); a ServiceAccount changed or
   * deleted since the plan is planned again, once, and that plan followed.
   */
  async adopt(plan: ServiceAccountPlan, retry = true): Promise<void> {
    const adoption = plan.adoption;
    if (plan.state !== 'adopt' || !adoption) {
      throw new Error(`adopt() takes an adoption plan, not "${plan.state}"`);
    }
    const where = `ServiceAccount ${plan.namespace}/${plan.name} on cluster "${plan.cluster}"`;
    try {
      await this.gatewayFor(plan.cluster).applyServiceAccountMetadata({
        namespace: plan.namespace,
        name: plan.name,
        uid: adoption.uid,
        resourceVersion: adoption.resourceVersion,
        fieldManager: SERVICE_ACCOUNT_FIELD_MANAGER,
        labels: plan.labels,
        annotations: plan.annotations,
      });
    } catch (e) {
      if (e instanceof FieldManagerConflictError) {
        throw new ConflictError(
          conflictExplanation(where, e.conflicts, adoption, plan.roleArn),
        );
      }
      if (!retry || !isError(e) || e.name !== 'ConflictError') throw e;
      // Changed since the plan: decide again on what is there now.
      const again = await this.plan({
        cluster: plan.cluster,
        namespace: plan.namespace,
        name: plan.name,
        roleArn: plan.roleArn,
        entityRef: adoption.entityRef,
        kubernetesId: adoption.kubernetesId,
        adoptExisting: true,
      });
      if (again.state === 'adopt') await this.adopt(again, false);
      else if (again.state === 'missing') await this.create(again);
      else if (again.state === 'update') await this.update(again);
    }
  }
}

/** Why a ServiceAccount the product did not create is refused, and the way out. */
function refusalOfForeign(
  existing: ServiceAccountRecord,
  request: ServiceAccountRequest,
  where: string,
): string {
  const { managedBy, helmRelease, helm } = creatorOf(existing);
  const optIn =
    'or run k8s:create-sa with adoptExisting: true to adopt it: backstage-irsa then adds only the role ' +
    'annotation and its ownership record (server-side apply), leaving every other field and its owner as they are';
  return helm
    ? `${where} is managed by Helm (release ${
        helmRelease ?? 'unknown'
      }), so backstage-irsa will not change it. Fix: set ` +
        `serviceAccount.annotations."${IRSA_ROLE_ARN_ANNOTATION}": ${request.roleArn} in the chart's values, ` +
        `${optIn}.`
    : `${where} exists and backstage-irsa did not create it${
        managedBy ? ` (managed by ${managedBy})` : ''
      }, so it will not change it. Fix: have its owner annotate it ` +
        `(kubectl -n ${request.namespace} annotate serviceaccount ${request.name} ` +
        `${IRSA_ROLE_ARN_ANNOTATION}=${request.roleArn}), choose another name, ${optIn}.`;
}
