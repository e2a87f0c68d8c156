import {
  canonicalPolicyJson,
  ENTITY_HASH_LABEL,
  IRSA_ROLE_ARN_ANNOTATION,
  KUBERNETES_ID_LABEL,
  namespaceProblems,
  parseRoleArn,
  type PolicyDocument,
  type Problem,
  removeTrustSubject,
  ROLE_TRUST_UPDATED_AT_TAG,
  SERVICE_ACCOUNT_ADOPTED_BY_ANNOTATION,
  SERVICE_ACCOUNT_FIELD_MANAGER,
  serviceAccountNameProblems,
} from '@backstage-irsa/plugin-irsa-common';
import { ConflictError, isError } from '@backstage/errors';
import { assertRoleAccount } from '../access/bindingPolicy';
import type { ClusterRegistry } from '../config';
import type { AwsGatewayFactory } from './gateways';
import { guardrailProblems } from './guardrails';
import { throwInputProblems } from './inputProblems';
import { resolveClusterProvider } from './issuerResolver';
import {
  assertRoleRetirableBy,
  foreignServiceAccountRefusal,
} from './retirementRefusals';
import { creatorOf } from './serviceAccountAdoption';
import { sameEntityRef, serviceAccountOwner } from './serviceAccountOwnership';
import type { KubernetesGatewayFactory } from './ServiceAccountService';

/** What "Remove AWS access" names: one ServiceAccount of an entity, and its role. */
export interface RetirementRequest {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  /**
   * The role to remove; when omitted, the role the ServiceAccount's
   * `eks.amazonaws.com/role-arn` annotation names (only on a ServiceAccount of the entity).
   */
  roleArn?: string;
  /** Canonical entity ref whose access is removed, e.g. `component:default/payments-api`. */
  entityRef: string;
}

/**
 * What happens to the role, found with reads only (a JSON value for checkpoints):
 * - `delete`: nobody else may assume it: detach `attachedPolicyArns`, delete
 *   `inlinePolicyNames`, delete the role;
 * - `untrust`: it still trusts other ServiceAccounts (`stillTrusted`): only this one is taken
 *   out of its trust (`trustPolicyJson`), its policies stay;
 * - `keep`: it does not trust this ServiceAccount and still trusts others: left as it is;
 * - `gone`: it does not exist (already removed);
 * - `none`: no role was given and the ServiceAccount names none.
 */
export type RoleRetirementPlan = {
  state: 'delete' | 'untrust' | 'keep' | 'gone' | 'none';
  roleArn?: string;
  roleName?: string;
  accountId?: string;
  region?: string;
  attachedPolicyArns: string[];
  inlinePolicyNames: string[];
  /** `delete`: the trust as read (re-checked right before DeleteRole); `untrust`: the new trust. */
  trustPolicyJson?: string;
  stillTrusted: string[];
};

/**
 * What happens to the ServiceAccount (a JSON value for checkpoints):
 * - `delete`: backstage-irsa created it for the entity: deleted (only the object read);
 * - `release`: backstage-irsa adopted it for the entity: the fields the adoption applied are
 *   taken back with a server-side apply of none of them, as field manager `backstage-irsa`;
 *   the object and every other field stay;
 * - `keep`: left as it is (`why`);
 * - `gone`: it does not exist.
 */
export type ServiceAccountRetirementPlan = {
  state: 'delete' | 'release' | 'keep' | 'gone';
  cluster: string;
  namespace: string;
  name: string;
  entityRef: string;
  /** The role the removal is about, to plan again against after a conflict. */
  roleArn?: string;
  uid?: string;
  resourceVersion?: string;
  why?: string;
  /** `release`: the Helm release or the managed-by value of its creator, for the log. */
  creator?: string;
};

/** The whole removal, planned before the first write (a JSON value for checkpoints). */
export type RetirementPlan = {
  entityRef: string;
  role: RoleRetirementPlan;
  serviceAccount: ServiceAccountRetirementPlan;
};

/** The annotation and label keys an adoption applies, in the order the log lists them. */
export const ADOPTION_FIELDS = [
  `annotation ${IRSA_ROLE_ARN_ANNOTATION}`,
  `annotation ${SERVICE_ACCOUNT_ADOPTED_BY_ANNOTATION}`,
  `label ${ENTITY_HASH_LABEL}`,
  `label ${KUBERNETES_ID_LABEL} (when the adoption set it)`,
];

const noRole = (): RoleRetirementPlan => ({
  state: 'none',
  attachedPolicyArns: [],
  inlinePolicyNames: [],
  stillTrusted: [],
});

/**
 * Retires one ServiceAccount's AWS access ("Remove AWS access", `aws:irsa:delete-role`),
 * planned with reads only so that everything it refuses is refused before the first write:
 * - the role, only one backstage-irsa created for the same entity (its tags), in an account
 *   the cluster may use: deleted with its managed policies detached and inline policies
 *   deleted when nobody else may assume it; otherwise only this ServiceAccount is taken out
 *   of its trust;
 * - the ServiceAccount: deleted when backstage-irsa created it for the entity, released
 *   (only what the adoption applied taken back) when it adopted it, refused when it is
 *   anybody else's and would have to change, left alone otherwise.
 * Each write is idempotent: what is already gone counts as done, so a re-run writes nothing.
 */
export class RetirementService {
  constructor(
    private readonly registry: ClusterRegistry,
    /** Fresh reads: a removal never decides on a cached answer. */
    private readonly gateways: AwsGatewayFactory,
    /** Writers that end the cached status reports. */
    private readonly k8sFor: KubernetesGatewayFactory,
  ) {}

  /** Every input problem at once, before any cloud call. */
  validate(request: RetirementRequest): void {
    const problems: Problem[] = [
      ...namespaceProblems(request.namespace, 'namespace'),
      ...serviceAccountNameProblems(request.serviceAccount, 'serviceAccount'),
    ];
    if (request.roleArn !== undefined) {
      const role = parseRoleArn(request.roleArn, 'roleArn');
      if (!role.ok) problems.push(...role.problems);
    }
    // The platform's denied and allowed namespaces hold for removals too: the product
    // never writes there.
    problems.push(
      ...guardrailProblems(
        { namespace: request.namespace, policyArns: [] },
        this.registry.guardrails,
      ),
    );
    if (problems.length > 0) throwInputProblems('removal request', problems);
    this.registry.get(request.cluster); // unknown: InputError naming the clusters
  }

  /** Reads only: what would be removed, or the refusal. */
  async plan(request: RetirementRequest): Promise<RetirementPlan> {
    this.validate(request);
    const cluster = this.registry.get(request.cluster);
    const base = {
      cluster: cluster.name,
      namespace: request.namespace,
      name: request.serviceAccount,
      entityRef: request.entityRef,
    };
    const sa = await this.k8sFor(cluster.name).getServiceAccount(
      request.namespace,
      request.serviceAccount,
    );
    const owner = sa && serviceAccountOwner(sa);
    const ours =
      owner !== undefined &&
      owner.how !== 'unnamed' &&
      sameEntityRef(owner.entityRef, request.entityRef);
    const annotated = sa?.annotations[IRSA_ROLE_ARN_ANNOTATION] || undefined;
    // The role comes from the ServiceAccount only when it is the entity's.
    const roleArn = request.roleArn ?? (ours ? annotated : undefined);
    const role = roleArn
      ? await this.planRole(request, roleArn)
      : (noRole() as RoleRetirementPlan);
    const plan = (
      account: Omit<ServiceAccountRetirementPlan, keyof typeof base>,
    ) => ({
      entityRef: request.entityRef,
      role,
      serviceAccount: { ...base, roleArn, ...account },
    });
    if (!sa) return plan({ state: 'gone' });
    const where = `ServiceAccount ${request.namespace}/${request.serviceAccount} on cluster "${cluster.name}"`;
    if (!ours) {
      // Anybody else's: never changed. Refused when its pods would lose the role it names
      // (removed, or this ServiceAccount taken out of its trust), or when no role is given
      // and it names one that still exists; otherwise left alone, so a re-run after a
      // release or a removal passes.
      const refuse = () =>
        foreignServiceAccountRefusal(
          where,
          sa,
          owner,
          request.entityRef,
          request.roleArn,
        );
      if (!request.roleArn && annotated) {
        if (await this.roleMayExist(annotated, cluster.name)) throw refuse();
      } else if (
        annotated !== undefined &&
        annotated === roleArn &&
        (role.state === 'delete' || role.state === 'untrust')
      ) {
        throw refuse();
      }
      return plan({
        state: 'keep',
        why: `it is not one backstage-irsa created or adopted for ${
          request.entityRef
        }${
          annotated &&
          (!request.roleArn || (annotated === roleArn && role.state === 'gone'))
            ? `; it still names ${annotated}, which no longer exists: its owner may remove that annotation`
            : ''
        }`,
      });
    }
    if (annotated && annotated !== roleArn) {
      return plan({
        state: 'keep',
        why: `it uses another role, ${annotated}, whose access stays`,
      });
    }
    if (!sa.uid || !sa.resourceVersion) {
      throw new Error(
        `${where} was read without uid or resourceVersion; it cannot be changed safely.`,
      );
    }
    const { helmRelease, managedBy } = creatorOf(sa);
    const creator = helmRelease ? `Helm release "${helmRelease}"` : managedBy;
    return plan({
      state: owner.how === 'created' ? 'delete' : 'release',
      uid: sa.uid,
      resourceVersion: sa.resourceVersion,
      ...(owner.how === 'adopted' && creator ? { creator } : {}),
    });
  }

  /**
   * Whether the role a ServiceAccount names may still exist: false only when it is a role
   * ARN in an account the cluster may use and IAM says there is no such role. Anything else
   * (a malformed value, another account, which is never read) counts as existing.
   */
  private async roleMayExist(roleArn: string, clusterName: string) {
    const parsed = parseRoleArn(roleArn, 'roleArn');
    if (!parsed.ok) return true;
    const cluster = this.registry.get(clusterName);
    if (
      !this.registry.roleAccountsOf(cluster).includes(parsed.value.accountId)
    ) {
      return true;
    }
    const iam = await this.gateways.iam(parsed.value.accountId, cluster.region);
    return Boolean(await iam.getRole(parsed.value.name));
  }

  private async planRole(
    request: RetirementRequest,
    roleArn: string,
  ): Promise<RoleRetirementPlan> {
    const parsed = parseRoleArn(roleArn, 'roleArn');
    if (!parsed.ok) {
      // Only a role ARN read from the ServiceAccount gets here (the input is validated).
      throwInputProblems(
        `role annotation of ServiceAccount ${request.namespace}/${request.serviceAccount}`,
        parsed.problems,
      );
    }
    const cluster = this.registry.get(request.cluster);
    const { accountId, name } = parsed.value;
    assertRoleAccount(this.registry, cluster, accountId);
    const iam = await this.gateways.iam(accountId, cluster.region);
    const where = {
      roleArn,
      roleName: name,
      accountId,
      region: cluster.region,
    };
    const role = await iam.getRole(name);
    if (!role) {
      return {
        ...noRole(),
        ...where,
        state: 'gone',
      };
    }
    assertRoleRetirableBy(role, request.entityRef, roleArn);
    const { providerArn } = await resolveClusterProvider(
      this.gateways,
      cluster,
      accountId,
    );
    const trust = role.trustPolicy as PolicyDocument;
    const removal = removeTrustSubject(trust, providerArn, {
      namespace: request.namespace,
      name: request.serviceAccount,
    });
    if (!removal.ok) throwInputProblems('role trust', removal.problems);
    const { stillTrusted, removed, policy } = removal.value;
    const found = { ...where, roleArn: role.arn || roleArn, stillTrusted };
    if (stillTrusted.length === 0) {
      return {
        ...found,
        state: 'delete',
        attachedPolicyArns: await iam.listAttachedPolicyArns(name),
        inlinePolicyNames: await iam.listRolePolicyNames(name),
        trustPolicyJson: canonicalPolicyJson(trust),
      };
    }
    return {
      ...found,
      state: removed ? 'untrust' : 'keep',
      attachedPolicyArns: [],
      inlinePolicyNames: [],
      ...(removed ? { trustPolicyJson: canonicalPolicyJson(policy) } : {}),
    };
  }

  private async iamOf(plan: RoleRetirementPlan) {
    if (!plan.accountId || !plan.region || !plan.roleName) {
      throw new TypeError(`A "${plan.state}" role plan names no role`);
    }
    return {
      iam: await this.gateways.iam(plan.accountId, plan.region),
      roleName: plan.roleName,
    };
  }

  async detachPolicy(plan: RoleRetirementPlan, policyArn: string) {
    const { iam, roleName } = await this.iamOf(plan);
    await iam.detachPolicy(roleName, policyArn);
  }

  async deleteInlinePolicy(plan: RoleRetirementPlan, policyName: string) {
    const { iam, roleName } = await this.iamOf(plan);
    await iam.deleteRolePolicy(roleName, policyName);
  }

  /**
   * Deletes the role of a `delete` plan, after reading its trust once more: a role that
   * gained trust since the plan (another task added a ServiceAccount to it) is not deleted.
   */
  async deleteRole(plan: RoleRetirementPlan) {
    const { iam, roleName } = await this.iamOf(plan);
    const now = await iam.getRole(roleName);
    if (!now) return;
    if (
      canonicalPolicyJson(now.trustPolicy as PolicyDocument) !==
      plan.trustPolicyJson
    ) {
      throw new ConflictError(
        `The trust of IAM role ${plan.roleArn} changed while it was being removed (another task added a ServiceAccount?), ` +
          'so it was not deleted; its policies may already be detached. Run this again to see what it trusts now.',
      );
    }
    await iam.deleteRole(roleName);
  }

  /**
   * Writes the trust of an `untrust` plan, then stamps the time as a trust change does
   * (best effort, see RoleService.updateTrust).
   */
  async removeFromTrust(plan: RoleRetirementPlan, now: Date = new Date()) {
    const { iam, roleName } = await this.iamOf(plan);
    if (!plan.trustPolicyJson) {
      throw new TypeError('An "untrust" role plan carries the new trust');
    }
    await iam.updateTrustPolicy(roleName, plan.trustPolicyJson);
    try {
      await iam.tagRole(roleName, {
        [ROLE_TRUST_UPDATED_AT_TAG]: now.toISOString(),
      });
    } catch {
      // best effort: the trust is written
    }
  }

  /**
   * Deletes (`delete`) or releases (`release`) the ServiceAccount, only the object the plan
   * read in the state it read it. Changed since: planned again once, and that plan
   * followed (it may now refuse). Returns the adoption's fields still on a released
   * ServiceAccount because another field manager set them too (Helm's role annotation),
   * for the task log.
   */
  async retireServiceAccount(
    plan: ServiceAccountRetirementPlan,
    retry = true,
  ): Promise<{ kept: string[] }> {
    if (plan.state !== 'delete' && plan.state !== 'release')
      return { kept: [] };
    const k8s = this.k8sFor(plan.cluster);
    const target = {
      namespace: plan.namespace,
      name: plan.name,
      uid: plan.uid!,
      resourceVersion: plan.resourceVersion!,
    };
    try {
      if (plan.state === 'delete') {
        await k8s.deleteServiceAccount(target);
        return { kept: [] };
      }
      await k8s.applyServiceAccountMetadata({
        ...target,
        fieldManager: SERVICE_ACCOUNT_FIELD_MANAGER,
        labels: {},
        annotations: {},
      });
    } catch (e) {
      if (!retry || !isError(e) || e.name !== 'ConflictError') throw e;
      const { serviceAccount: account } = await this.plan({
        cluster: plan.cluster,
        namespace: plan.namespace,
        serviceAccount: plan.name,
        roleArn: plan.roleArn,
        entityRef: plan.entityRef,
      });
      return this.retireServiceAccount(account, false);
    }
    const after = await k8s.getServiceAccount(plan.namespace, plan.name);
    if (!after) return { kept: [] };
    return {
      kept: [
        ...[IRSA_ROLE_ARN_ANNOTATION, SERVICE_ACCOUNT_ADOPTED_BY_ANNOTATION]
          .filter(k => after.annotations[k] !== undefined)
          .map(k => `annotation ${k}`),
        ...(after.labels[ENTITY_HASH_LABEL] !== undefined
          ? [`label ${ENTITY_HASH_LABEL}`]
          : []),
      ],
    };
  }
}
