import {
  accountIdProblems,
  buildTrustStatement,
  canonicalPolicyJson,
  clusterStatementSubjects,
  formatRoleArn,
  MANAGED_BY_VALUE,
  DEFAULT_MANAGED_POLICIES_PER_ROLE,
  namespaceProblems,
  parseRoleArn,
  partitionForRegion,
  type PolicyDocument,
  type PresetSelection,
  type Problem,
  quote,
  type ResolvedPresets,
  ROLE_ENTITY_REF_TAG,
  ROLE_MANAGED_BY_TAG,
  ROLE_TRUST_UPDATED_AT_TAG,
  roleNameWithPrefixProblems,
  serviceAccountMatchesPattern,
  serviceAccountNameProblems,
  serviceAccountPatternProblems,
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
import { presetPolicyArnsOf, resolveRequestPresets } from './presets';
import { type InlinePolicyPlan, planInlinePolicies } from './inlinePolicies';

/** A request for a role that one ServiceAccount (or a name pattern of them) may assume. */
export interface RoleRequest {
  cluster: string;
  namespace: string;
  /** The ServiceAccount the role trusts; give this, `serviceAccountPattern`, or both. */
  serviceAccount?: string;
  /**
   * ServiceAccounts of `namespace` whose name matches (`worker-*`, `*` and `?` as in IAM's
   * StringLike), trusted instead of one name; only under
   * `irsa.guardrails.allowServiceAccountPatterns`. With `serviceAccount` too, that name must
   * match it (the ServiceAccount step creates it).
   */
  serviceAccountPattern?: string;
  /** Without the guardrail prefix, which is added when missing. */
  roleName: string;
  /** Account of the role; the cluster's when omitted (cross-account otherwise). */
  accountId?: string;
  policyArns?: string[];
  /** Presets of `irsa.presets`: their managed policies and inline policy `preset-<name>`. */
  presets?: PresetSelection[];
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
  /** The presets' inline policies, each with whether it must be written. */
  inlinePolicies: InlinePolicyPlan[];
  /**
   * The role exists without `irsa.guardrails.permissionsBoundaryArn` (removed or replaced
   * by hand): put it back before anything else is attached.
   */
  boundaryDrifted: boolean;
  tags: Record<string, string>;
  path: string;
  permissionsBoundaryArn?: string;
  maxSessionDurationSeconds: number;
  description: string;
};

/**
 * Creates or updates the IAM role a ServiceAccount assumes — step two and three of
 * IRSA — with least-privilege trust: exactly `system:serviceaccount:NS:NAME` (or, under
 * the guardrail, a name pattern of one namespace) and audience `sts.amazonaws.com` for the
 * cluster's provider, one statement per cluster, nothing else added; then the managed
 * policies and the presets' inline policies, and the boundary. A plan compares all of it
 * with the role as it is, so a re-run repairs drift and writes nothing without it. Roles it
 * did not create (tag `backstage-irsa:managed-by`), created for another entity, or without
 * an entity tag are never changed; roles live only in accounts the cluster may use.
 */
export class RoleService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly gateways: AwsGatewayFactory,
  ) {}

  /** Every input problem at once, before any cloud call. */
  validate(request: RoleRequest): { roleName: string } {
    return { roleName: this.checked(request).roleName };
  }

  /** The role's name in IAM: the guardrail prefix added when missing. */
  finalRoleName(roleName: string): string {
    const prefix = this.registry.guardrails.roleNamePrefix;
    return roleName.startsWith(prefix) ? roleName : `${prefix}${roleName}`;
  }

  /**
   * The input problems {@link RoleService.validate} refuses, without throwing: the form's
   * preview shows them at their fields, so form and actions never disagree.
   */
  problems(request: RoleRequest): Problem[] {
    return this.inspect(request).problems;
  }

  /** Validates, then throws every problem at once; returns what the plan needs. */
  private checked(request: RoleRequest): {
    roleName: string;
    presets: ResolvedPresets;
  } {
    const { problems, presets } = this.inspect(request);
    if (problems.length > 0) throwInputProblems('role request', problems);
    const cluster = this.registry.get(request.cluster); // unknown: InputError too
    assertRoleAccount(
      this.registry,
      cluster,
      request.accountId ?? cluster.accountId,
    );
    return { roleName: this.finalRoleName(request.roleName), presets };
  }

  private inspect(request: RoleRequest): {
    problems: Problem[];
    presets: ResolvedPresets;
  } {
    const { guardrails } = this.registry;
    const prefix = guardrails.roleNamePrefix;
    const bareName = request.roleName.startsWith(prefix)
      ? request.roleName.slice(prefix.length)
      : request.roleName;
    const policyArns = request.policyArns ?? [];
    const pattern = request.serviceAccountPattern;
    const problems: Problem[] = [
      ...namespaceProblems(request.namespace, 'namespace'),
      ...roleNameWithPrefixProblems(prefix, bareName),
      ...(request.accountId !== undefined
        ? accountIdProblems(request.accountId, 'accountId')
        : []),
    ];
    if (request.serviceAccount !== undefined) {
      problems.push(
        ...serviceAccountNameProblems(request.serviceAccount, 'serviceAccount'),
      );
    } else if (pattern === undefined) {
      problems.push({
        field: 'serviceAccount',
        message:
          'Name the ServiceAccount the role is for (for example "payments-api").',
      });
    }
    if (pattern !== undefined) {
      const patternProblems = serviceAccountPatternProblems(pattern);
      problems.push(...patternProblems);
      if (
        patternProblems.length === 0 &&
        request.serviceAccount !== undefined &&
        !serviceAccountMatchesPattern(request.serviceAccount, pattern)
      ) {
        problems.push({
          field: 'serviceAccount',
          message: `The ServiceAccount ${quote(
            request.serviceAccount,
          )} does not match serviceAccountPattern ${quote(
            pattern,
          )}, so the role would not trust it; give a name the pattern matches.`,
        });
      }
    }
    const arns = validatePolicyArns(policyArns);
    if (!arns.ok) problems.push(...arns.problems);
    const presets = resolveRequestPresets(this.registry, request);
    problems.push(...presets.problems);
    const allArns = new Set([...policyArns, ...presets.resolved.policyArns]);
    if (arns.ok && allArns.size > DEFAULT_MANAGED_POLICIES_PER_ROLE) {
      problems.push({
        field: 'presets',
        message: `policyArns and the presets' managed policies are ${allArns.size} policies: IAM attaches at most ${DEFAULT_MANAGED_POLICIES_PER_ROLE} to a role; select fewer.`,
      });
    }
    problems.push(
      ...guardrailProblems(
        {
          namespace: request.namespace,
          policyArns,
          presetPolicyArns: presetPolicyArnsOf(this.registry, request.presets),
          serviceAccountPattern: pattern,
        },
        guardrails,
      ),
    );
    return { problems, presets: presets.resolved };
  }

  async plan(request: RoleRequest): Promise<RolePlan> {
    const { roleName, presets } = this.checked(request);
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

    // Keep ServiceAccounts the role already trusts in this cluster; add the requested one
    // (its name, or the pattern when one is given: the pattern covers the name).
    const subjects: TrustSubject[] = existing
      ? clusterStatementSubjects(
          existing.trustPolicy as PolicyDocument,
          providerArn,
        )
      : [];
    const wanted: TrustSubject =
      request.serviceAccountPattern !== undefined
        ? {
            namespace: request.namespace,
            namePattern: request.serviceAccountPattern,
          }
        : { namespace: request.namespace, name: request.serviceAccount! };
    if (
      !subjects.some(
        s =>
          s.namespace === wanted.namespace &&
          ('name' in wanted
            ? 'name' in s && s.name === wanted.name
            : 'namePattern' in s && s.namePattern === wanted.namePattern),
      )
    ) {
      subjects.push(wanted);
    }
    // Patterns pass the builder: a new one was allowed by the guardrail above, and one the
    // role already trusts was allowed when it was written (dropping it would break pods).
    const statement = buildTrustStatement({
      providerArn,
      subjects,
      allowPatterns: true,
    });
    if (!statement.ok) throwInputProblems('role request', statement.problems);
    const desired = upsertClusterStatement(
      existing?.trustPolicy as PolicyDocument | undefined,
      statement.value,
    );
    const trustPolicyJson = canonicalPolicyJson(desired);
    // Before any write: a second cluster's statement must still fit the quota (F18).
    const size = validateTrustPolicySize(trustPolicyJson, {
      limit: guardrails.trustPolicySizeLimit,
    });
    if (!size.ok) throwInputProblems('role request', size.problems);

    const attached = existing ? await iam.listAttachedPolicyArns(roleName) : [];
    const wantedArns = [
      ...new Set([...(request.policyArns ?? []), ...presets.policyArns]),
    ];
    const missingPolicyArns = wantedArns.filter(a => !attached.includes(a));
    const inlinePolicies = await planInlinePolicies(
      iam,
      roleName,
      Boolean(existing),
      presets.inlinePolicies,
    );
    const boundaryDrifted = Boolean(
      existing &&
        guardrails.permissionsBoundaryArn &&
        existing.permissionsBoundaryArn !== guardrails.permissionsBoundaryArn,
    );
    const trustChanged =
      !existing ||
      canonicalPolicyJson(existing.trustPolicy as PolicyDocument) !==
        trustPolicyJson;
    let state: RolePlan['state'] = 'missing';
    if (existing) {
      state =
        trustChanged ||
        boundaryDrifted ||
        missingPolicyArns.length > 0 ||
        inlinePolicies.some(p => p.state !== 'ready')
          ? 'update'
          : 'ready';
    }
    const subject =
      request.serviceAccountPattern ?? (request.serviceAccount as string);
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
      inlinePolicies,
      boundaryDrifted,
      tags,
      path: existing?.path ?? guardrails.rolePath,
      permissionsBoundaryArn: guardrails.permissionsBoundaryArn,
      maxSessionDurationSeconds: guardrails.maxSessionDurationSeconds,
      description:
        request.description ??
        `IRSA role for ${request.namespace}/${subject} on cluster ${cluster.name} (backstage-irsa)`,
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

  /** Writes one of the plan's inline policies (PutRolePolicy replaces one of that name). */
  async putInlinePolicy(plan: RolePlan, policyName: string): Promise<void> {
    const policy = plan.inlinePolicies.find(p => p.name === policyName);
    if (!policy) {
      throw new TypeError(`The plan has no inline policy ${policyName}`);
    }
    const iam = await this.gateways.iam(plan.accountId, plan.region);
    await iam.putRolePolicy(plan.roleName, policy.name, policy.documentJson);
  }

  /** Puts `irsa.guardrails.permissionsBoundaryArn` back on a role that lost it. */
  async restoreBoundary(plan: RolePlan): Promise<void> {
    if (!plan.permissionsBoundaryArn) return;
    const iam = await this.gateways.iam(plan.accountId, plan.region);
    await iam.putRolePermissionsBoundary(
      plan.roleName,
      plan.permissionsBoundaryArn,
    );
  }
}
