import {
  accountIdProblems,
  buildTrustStatement,
  canonicalPolicyJson,
  clusterStatementSubjects,
  formatRoleArn,
  MANAGED_BY_VALUE,
  namespaceProblems,
  partitionForRegion,
  type PolicyDocument,
  type Problem,
  ROLE_ENTITY_REF_TAG,
  ROLE_MANAGED_BY_TAG,
  roleNameWithPrefixProblems,
  serviceAccountNameProblems,
  type TrustSubject,
  upsertClusterStatement,
  validatePolicyArns,
  validateTrustPolicySize,
} from '@backstage-irsa/plugin-irsa-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { ClusterRegistry } from '../config';
import type { AwsGatewayFactory } from './gateways';
import { guardrailProblems } from './guardrails';
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
  /** Catalog entity the role serves, e.g. `component:default/payments-api`. */
  entityRef?: string;
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
 * create (tag `backstage-irsa:managed-by`) or created for another entity are never changed.
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
    this.registry.get(request.cluster); // unknown cluster: InputError too
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
    if (!(await iam.getOidcProvider(providerArn))) {
      throw new NotFoundError(
        `The IAM OIDC provider ${providerArn} does not exist, so no role can trust cluster ` +
          `"${cluster.name}" in account ${accountId}. Run aws:oidc:ensure for this cluster` +
          `${request.accountId ? ` with accountId ${accountId}` : ''} first.`,
      );
    }

    const existing = await iam.getRole(roleName);
    const tags: Record<string, string> = {
      [ROLE_MANAGED_BY_TAG]: MANAGED_BY_VALUE,
      ...(request.entityRef
        ? { [ROLE_ENTITY_REF_TAG]: request.entityRef }
        : {}),
    };
    if (existing) this.assertOwned(existing, request, roleName);

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
    const size = validateTrustPolicySize(trustPolicyJson);
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

  private assertOwned(
    existing: { tags: Record<string, string>; arn: string },
    request: RoleRequest,
    roleName: string,
  ) {
    if (existing.tags[ROLE_MANAGED_BY_TAG] !== MANAGED_BY_VALUE) {
      throw new ConflictError(
        `IAM role ${roleName} already exists and backstage-irsa did not create it, so it will not change it. ` +
          'Choose another role name, or add the trust by hand (see docs/troubleshooting.md).',
      );
    }
    const owner = existing.tags[ROLE_ENTITY_REF_TAG];
    if (owner && request.entityRef && owner !== request.entityRef) {
      throw new ConflictError(
        `IAM role ${roleName} belongs to ${owner}, not ${request.entityRef}; choose another role name.`,
      );
    }
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

  async updateTrust(plan: RolePlan): Promise<void> {
    const iam = await this.gateways.iam(plan.accountId, plan.region);
    await iam.updateTrustPolicy(plan.roleName, plan.trustPolicyJson);
  }

  async attachPolicy(plan: RolePlan, policyArn: string): Promise<void> {
    const iam = await this.gateways.iam(plan.accountId, plan.region);
    await iam.attachPolicy(plan.roleName, policyArn);
  }
}
