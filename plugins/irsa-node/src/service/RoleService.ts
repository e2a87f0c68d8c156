import {
  accountIdProblems,
  buildTrustStatement,
  canonicalPolicyJson,
  clusterStatementSubjects,
  formatRoleArn,
  MANAGED_BY_VALUE,
  namespaceProblems,
  parseRoleArn,
  partitionForRegion,
  type PolicyDocument,
  type Problem,
  ROLE_ENTITY_REF_TAG,
  ROLE_MANAGED_BY_TAG,
  ROLE_TRUST_UPDATED_AT_TAG,
  roleNameWithPrefixProblems,
  serviceAccountNameProblems,
  type TrustSubject,
  upsertClusterStatement,
  validatePolicyArns,
  validateTrustPolicySize,
} from '@backstage-irsa/plugin-irsa-common';
import { NotFoundError } from '@backstage/errors';
import type { ClusterRegistry } from '../config';
import type { AwsGatewayFactory } from './gateways';
import { assertRoleAccount } from '../access/bindingPolicy';
import { guardrailProblems } from './guardrails';
import { assertRoleOwnedBy } from './roleOwnership';
import { throwInputProblems } from './inputProblems';
import { resolveClusterProvider } from './issuerResolver';

/** A request for a role that one ServiceAccount may assume. */
export interface RoleRequest {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  /** Without the guardrail prefix, which is added when missing. */
  roleName: string;
  /** Account of the role; the cluster's when omitted (cross-account otherwise). */
  accountId?: string;
  policyArns?: string[];
  /**
   * Catalog entity the role serves, canonical (`component:default/payments-api`): recorded
   * in the role's tag, and the only entity that may change the role later.
   */
  entityRef: string;
  description?: string;
}

/**
 * What `ensure` would do, found with reads only. A type alias so it is a JSON value
 * (the scaffolder stores checkpoint results).
 */
export type RolePlan = {
  cluster: string;
  accountId: string;
  region: string;
  roleName: string;
  roleArn: string;
  providerArn: string;
  /** The trust policy the role must have, canonical JSON. */
  trustPolicyJson: string;
  state: 'missing' | 'update' | 'ready';
  trustChanged: boolean;
  /** Whether the cluster's IAM OIDC provider exists in the role's account yet. */
  providerExists: boolean;
  missingPolicyArns: string[];
  tags: Record<string, string>;
  path: string;
  permissionsBoundaryArn?: string;
  maxSessionDurationSeconds: number;
  description: string;
};

/**
 * Creates or updates the IAM role a ServiceAccount assumes — step two and three of
 * IRSA — with least-privilege trust: exactly `system:serviceaccount:NS:NAME` and audience
 * `sts.amazonaws.com` for the cluster's provider, nothing else added. Roles it did not
 * create (tag `backstage-irsa:managed-by`), created for another entity, or without an
 * entity tag are never changed; roles live only in accounts the cluster may use.
 */
export class RoleService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly gateways: AwsGatewayFactory,
  ) {}

  /** Every input problem at once, before any cloud call. */
  validate(request: RoleRequest): { roleName: string } {
    const { guardrails } = this.registry;
    const prefix = guardrails.roleNamePrefix;
    const bareName = request.roleName.startsWith(prefix)
      ? request.roleName.slice(prefix.length)
      : request.roleName;
    const policyArns = request.policyArns ?? [];
    const problems: Problem[] = [
      ...namespaceProblems(request.namespace, 'namespace'),
      ...serviceAccountNameProblems(request.serviceAccount, 'serviceAccount'),
      ...roleNameWithPrefixProblems(prefix, bareName),
      ...(request.accountId !== undefined
        ? accountIdProblems(request.accountId, 'accountId')
        : []),
    ];
    const arns = validatePolicyArns(policyArns);
    if (!arns.ok) problems.push(...arns.problems);
    problems.push(
      ...guardrailProblems(
        { namespace: request.namespace, policyArns },
        guardrails,
      ),
    );
    if (problems.length > 0) throwInputProblems('role request', problems);
    const cluster = this.registry.get(request.cluster); // unknown: InputError too
    assertRoleAccount(
      this.registry,
      cluster,
      request.accountId ?? cluster.accountId,
    );
    return { roleName: `${prefix}${bareName}` };
  }

  async plan(request: RoleRequest): Promise<RolePlan> {
    const { roleName } = this.validate(request);
    const { guardrails } = this.registry;
    const cluster = this.registry.get(request.cluster);
    const accountId = request.accountId ?? cluster.accountId;
    const { providerArn } = await resolveClusterProvider(
      this.gateways,
      cluster,
      accountId,
    );
    const iam = await this.gateways.iam(accountId, cluster.region);
    const providerExists = Boolean(await iam.getOidcProvider(providerArn));

    const existing = await iam.getRole(roleName);
    const tags: Record<string, string> = {
      [ROLE_MANAGED_BY_TAG]: MANAGED_BY_VALUE,
      [ROLE_ENTITY_REF_TAG]: request.entityRef,
    };
    if (existing) assertRoleOwnedBy(existing, request.entityRef, roleName);

    // Keep ServiceAccounts the role already trusts in this cluster; add the requested one.
    const subjects: TrustSubject[] = existing
      ? clusterStatementSubjects(
          existing.trustPolicy as PolicyDocument,
          providerArn,
        )
      : [];
    if (
      !subjects.some(
        s =>
          'name' in s &&
          s.namespace === request.namespace &&
          s.name === request.serviceAccount,
      )
    ) {
      subjects.push({
        namespace: request.namespace,
        name: request.serviceAccount,
      });
    }
    const statement = buildTrustStatement({ providerArn, subjects });
    if (!statement.ok) throwInputProblems('role request', statement.problems);
    const desired = upsertClusterStatement(
      existing?.trustPolicy as PolicyDocument | undefined,
      statement.value,
    );
    const trustPolicyJson = canonicalPolicyJson(desired);
    const size = validateTrustPolicySize(trustPolicyJson, {
      limit: guardrails.trustPolicySizeLimit,
    });
    if (!size.ok) throwInputProblems('role request', size.problems);

    const attached = existing ? await iam.listAttachedPolicyArns(roleName) : [];
    const missingPolicyArns = (request.policyArns ?? []).filter(
      a => !attached.includes(a),
    );
    const trustChanged =
      !existing ||
      canonicalPolicyJson(existing.trustPolicy as PolicyDocument) !==
        trustPolicyJson;
    let state: RolePlan['state'] = 'missing';
    if (existing) {
      state = trustChanged || missingPolicyArns.length > 0 ? 'update' : 'ready';
    }
    return {
      cluster: cluster.name,
      accountId,
      region: cluster.region,
      roleName,
      roleArn:
        existing?.arn ??
        formatRoleArn({
          partition: partitionForRegion(cluster.region),
          accountId,
          name: roleName,
          path: guardrails.rolePath,
        }),
      providerArn,
      trustPolicyJson,
      state,
      trustChanged,
      providerExists,
      missingPolicyArns,
      tags,
      path: existing?.path ?? guardrails.rolePath,
      permissionsBoundaryArn: guardrails.permissionsBoundaryArn,
      maxSessionDurationSeconds: guardrails.maxSessionDurationSeconds,
      description:
        request.description ??
        `IRSA role for ${request.namespace}/${request.serviceAccount} on cluster ${cluster.name} (backstage-irsa)`,
    };
  }

  /**
   * Throws unless the provider a plan's trust names exists: a role can be planned (and dry
   * run) before `aws:oidc:ensure` runs, but not created.
   */
  assertProviderExists(plan: RolePlan): void {
    if (plan.providerExists) return;
    const crossAccount =
      plan.accountId !== this.registry.get(plan.cluster).accountId;
    throw new NotFoundError(
      `The IAM OIDC provider ${plan.providerArn} does not exist, so no role can trust cluster ` +
        `"${plan.cluster}" in account ${plan.accountId}. Run aws:oidc:ensure for this cluster` +
        `${crossAccount ? ` with accountId ${plan.accountId}` : ''} first.`,
    );
  }

  /**
   * Throws unless `roleArn` is a role this product created for `entityRef`, in an account
   * the cluster may use: a ServiceAccount of one entity is never pointed at another's role.
   */
  async assertRoleOfEntity(
    roleArn: string,
    entityRef: string,
    clusterName: string,
  ): Promise<void> {
    const parsed = parseRoleArn(roleArn, 'roleArn');
    if (!parsed.ok) throwInputProblems('role', parsed.problems);
    const cluster = this.registry.get(clusterName);
    const { accountId, name } = parsed.value;
    assertRoleAccount(this.registry, cluster, accountId);
    const iam = await this.gateways.iam(accountId, cluster.region);
    const role = await iam.getRole(name);
    if (!role) {
      throw new NotFoundError(
        `IAM role ${roleArn} does not exist; create it with aws:irsa:create-role first.`,
      );
    }
    assertRoleOwnedBy(role, entityRef, name);
  }

  async createRole(plan: RolePlan): Promise<{ roleArn: string }> {
    const iam = await this.gateways.iam(plan.accountId, plan.region);
    const role = await iam.createRole({
      name: plan.roleName,
      path: plan.path,
      trustPolicyJson: plan.trustPolicyJson,
      description: plan.description,
      tags: plan.tags,
      permissionsBoundaryArn: plan.permissionsBoundaryArn,
      maxSessionDurationSeconds: plan.maxSessionDurationSeconds,
    });
    return { roleArn: role.arn };
  }

  /**
   * Rewrites the trust, then stamps the time in {@link ROLE_TRUST_UPDATED_AT_TAG} so Verify
   * knows the change may not have reached STS yet (F16). The stamp is best effort: the trust
   * is already written, and a manager policy without the tag permission only costs Verify
   * that knowledge.
   */
  async updateTrust(plan: RolePlan, now: Date = new Date()): Promise<void> {
    const iam = await this.gateways.iam(plan.accountId, plan.region);
    await iam.updateTrustPolicy(plan.roleName, plan.trustPolicyJson);
    try {
      await iam.tagRole(plan.roleName, {
        [ROLE_TRUST_UPDATED_AT_TAG]: now.toISOString(),
      });
    } catch {
      // best effort, see above
    }
  }

  async attachPolicy(plan: RolePlan, policyArn: string): Promise<void> {
    const iam = await this.gateways.iam(plan.accountId, plan.region);
    await iam.attachPolicy(plan.roleName, policyArn);
  }
}
