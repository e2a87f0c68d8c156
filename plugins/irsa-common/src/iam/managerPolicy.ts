import {
  MANAGED_BY_VALUE,
  OIDC_PROVIDER_CLUSTER_TAG,
  ROLE_ENTITY_REF_TAG,
  ROLE_MANAGED_BY_TAG,
  ROLE_TRUST_UPDATED_AT_TAG,
} from '../constants';
import { parsePolicyArn } from '../arn';
import { AwsPartition, isAwsPartition } from '../partition';
import { ParseResult, Problem, quote } from '../problems';
import { PolicyStatement } from '../trustPolicy/types';
import { rolePathProblems } from '../validators/iamNames';

/**
 * The guardrails the manager policy is generated from: the same values as
 * `irsa.guardrails` in the app config, so IAM enforces what the product already checks.
 *
 * @public
 */
export interface ManagerPolicyInput {
  /** `aws` when omitted; `aws-cn` / `aws-us-gov` for those partitions. */
  partition?: string;
  /** `irsa.guardrails.rolePath`, e.g. `/irsa/`. */
  rolePath: string;
  /** `irsa.guardrails.roleNamePrefix`, e.g. `irsa-`; may be empty. */
  roleNamePrefix: string;
  /** `irsa.guardrails.permissionsBoundaryArn`: when set, CreateRole must carry it. */
  permissionsBoundaryArn?: string;
  /** `irsa.guardrails.allowedPolicyArns` (`*` and `?` globs as in ArnLike). */
  allowedPolicyArns: readonly string[];
  /**
   * Whether any of `irsa.presets` has an inline policy: then the manager reads and writes
   * inline policies (GetRolePolicy, PutRolePolicy) of its roles. Default false: not granted.
   */
  inlinePolicies?: boolean;
}

/**
 * The permissions policy of the `backstage-irsa-manager` role.
 *
 * @public
 */
export interface ManagerPolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const MANAGED_BY_REQUEST_TAG = `aws:RequestTag/${ROLE_MANAGED_BY_TAG}`;
const MANAGED_BY_RESOURCE_TAG = `aws:ResourceTag/${ROLE_MANAGED_BY_TAG}`;
const NAME_PREFIX = /^[A-Za-z0-9+=,.@_-]{0,63}$/;
const GLOB = /[*?]/;

function inputProblems(input: ManagerPolicyInput): Problem[] {
  const partition = input.partition ?? 'aws';
  const problems: Problem[] = [];
  if (!isAwsPartition(partition)) {
    problems.push({
      field: 'partition',
      message: `The partition ${quote(
        partition,
      )} is not one of aws, aws-cn, aws-us-gov (for example "aws").`,
    });
  }
  problems.push(...rolePathProblems(input.rolePath));
  // `*` and `?` are legal in IAM paths but would widen the ARN pattern below.
  if (GLOB.test(input.rolePath)) {
    problems.push({
      field: 'rolePath',
      message: `The role path ${quote(
        input.rolePath,
      )} contains * or ?, which a policy would read as a wildcard: use a literal path (for example "/irsa/").`,
    });
  }
  if (!NAME_PREFIX.test(input.roleNamePrefix)) {
    problems.push({
      field: 'roleNamePrefix',
      message: `The role name prefix ${quote(
        input.roleNamePrefix,
      )} must be at most 63 letters, digits or + = , . @ _ - (for example "irsa-").`,
    });
  }
  const boundary = input.permissionsBoundaryArn;
  if (boundary !== undefined) {
    const parsed = parsePolicyArn(boundary, 'permissionsBoundaryArn');
    if (!parsed.ok) problems.push(...parsed.problems);
    else if (parsed.value.partition !== partition) {
      problems.push({
        field: 'permissionsBoundaryArn',
        message: `The permissions boundary ${quote(
          boundary,
        )} is not in partition ${quote(partition)}.`,
      });
    }
  }
  input.allowedPolicyArns.forEach((arn, i) => {
    // Globs are allowed (guardrails use them); the rest must be a policy ARN of this partition.
    if (
      !arn.startsWith(`arn:${partition}:iam::`) ||
      !arn.includes(':policy/')
    ) {
      problems.push({
        field: `allowedPolicyArns[${i}]`,
        message: `${quote(
          arn,
        )} is not a managed policy ARN (or pattern) in partition ${quote(
          partition,
        )} (for example "arn:${partition}:iam::aws:policy/AmazonS3ReadOnlyAccess").`,
      });
    }
  });
  return problems;
}

/**
 * Builds the least-privilege permissions policy of `backstage-irsa-manager` for the given
 * guardrails: role writes only on `role<rolePath><roleNamePrefix>*`, only on roles tagged
 * `backstage-irsa:managed-by=backstage-irsa`, trust and policy changes only on those (with
 * a boundary: only on roles carrying it), tags only written while creating (but for the
 * trust timestamp on our roles), inline policies only when presets have them, the
 * boundary only put back as configured, roles deleted (with their policies) only when
 * tagged as ours, and nothing the product never calls (no other Delete*, no PassRole, no
 * Untag*). docs/iam/README.md explains each statement.
 *
 * @public
 */
export function buildManagerPolicy(
  input: ManagerPolicyInput,
): ParseResult<ManagerPolicyDocument> {
  const problems = inputProblems(input);
  if (problems.length > 0) return { ok: false, problems };
  const p = (input.partition ?? 'aws') as AwsPartition;
  const boundary = input.permissionsBoundaryArn;
  // Role ARNs carry the path: `role/irsa/irsa-x` for path /irsa/ (rolePath ends in "/").
  const ownRoles = `arn:${p}:iam::*:role${input.rolePath}${input.roleNamePrefix}*`;
  const anyRole = `arn:${p}:iam::*:role/*`;
  const anyProvider = `arn:${p}:iam::*:oidc-provider/*`;
  const boundaryCondition: Record<string, string> = boundary
    ? { 'iam:PermissionsBoundary': boundary }
    : {};
  const statements: PolicyStatement[] = [
    // The status card and `plan` read whatever role a ServiceAccount names and whether the
    // cluster's provider exists, owned or not; reads change nothing.
    {
      Sid: 'ReadRolesAndOidcProviders',
      Effect: 'Allow',
      Action: ['iam:GetRole', 'iam:GetOpenIDConnectProvider'],
      Resource: [anyRole, anyProvider],
    },
    // The platform overview lists the roles under the product's path in each account to
    // find those whose entity left the catalog (orphans; their tags come from GetRole).
    // ListRoles has no resource type in IAM: "*" is the only Resource it can be granted on,
    // and it reveals no more than GetRole above already may.
    {
      Sid: 'ListRolesForOrphans',
      Effect: 'Allow',
      Action: 'iam:ListRoles',
      Resource: '*',
    },
    // `plan` lists the policies of an existing role of ours to attach only what is missing,
    // and reads its preset inline policies to rewrite only what differs.
    {
      Sid: 'ListPoliciesOfIrsaRoles',
      Effect: 'Allow',
      Action: input.inlinePolicies
        ? ['iam:GetRolePolicy', 'iam:ListAttachedRolePolicies']
        : 'iam:ListAttachedRolePolicies',
      Resource: ownRoles,
    },
    // Create only under the path and prefix, only with our ownership tag and only our tag
    // keys (so a role is never created unowned), and with the boundary when one is set.
    {
      Sid: 'CreateIrsaRolesOwnedAndBounded',
      Effect: 'Allow',
      Action: 'iam:CreateRole',
      Resource: ownRoles,
      Condition: {
        StringEquals: {
          [MANAGED_BY_REQUEST_TAG]: MANAGED_BY_VALUE,
          ...boundaryCondition,
        },
        'ForAllValues:StringEquals': {
          'aws:TagKeys': [ROLE_MANAGED_BY_TAG, ROLE_ENTITY_REF_TAG],
        },
      },
    },
    // IAM also authorizes iam:TagRole for the Tags of CreateRole. Same tag rules; the Deny
    // below stops it on roles that already carry an ownership tag.
    {
      Sid: 'TagIrsaRolesOnCreate',
      Effect: 'Allow',
      Action: 'iam:TagRole',
      Resource: ownRoles,
      Condition: {
        StringEquals: { [MANAGED_BY_REQUEST_TAG]: MANAGED_BY_VALUE },
        'ForAllValues:StringEquals': {
          'aws:TagKeys': [ROLE_MANAGED_BY_TAG, ROLE_ENTITY_REF_TAG],
        },
      },
    },
    // After rewriting the trust of a role of ours, the product stamps the time (F16): that
    // one tag key alone, only on roles tagged as ours.
    {
      Sid: 'StampTrustUpdateOnOwnedRoles',
      Effect: 'Allow',
      Action: 'iam:TagRole',
      Resource: ownRoles,
      Condition: {
        StringEquals: { [MANAGED_BY_RESOURCE_TAG]: MANAGED_BY_VALUE },
        'ForAllValues:StringEquals': {
          'aws:TagKeys': [ROLE_TRUST_UPDATED_AT_TAG],
        },
      },
    },
    // Trust is rewritten only on roles this product created: never overwrite what we do
    // not own, even inside our path.
    {
      Sid: 'UpdateTrustOfOwnedRoles',
      Effect: 'Allow',
      Action: 'iam:UpdateAssumeRolePolicy',
      Resource: ownRoles,
      Condition: {
        StringEquals: { [MANAGED_BY_RESOURCE_TAG]: MANAGED_BY_VALUE },
      },
    },
  ];
  // `aws:irsa:delete-role` removes a role of ours: lists its inline policies, detaches and
  // deletes its policies, then deletes it. Only on roles tagged as ours (which role belongs
  // to which entity the product checks: IAM cannot compare a tag with the requester). Any
  // managed policy may be detached (a role cannot be deleted with one attached, and
  // detaching only takes access away); no boundary condition, for the same reason.
  statements.push({
    Sid: 'RetireOwnedRoles',
    Effect: 'Allow',
    Action: [
      'iam:DeleteRole',
      'iam:DeleteRolePolicy',
      'iam:DetachRolePolicy',
      'iam:ListRolePolicies',
    ],
    Resource: ownRoles,
    Condition: {
      StringEquals: { [MANAGED_BY_RESOURCE_TAG]: MANAGED_BY_VALUE },
    },
  });
  if (input.allowedPolicyArns.length > 0) {
    // Only the guardrail's policies, only onto our roles (and, with a boundary, only onto
    // roles that carry it), so the manager cannot hand out more than the guardrails allow.
    statements.push({
      Sid: 'AttachAllowedPoliciesToOwnedRoles',
      Effect: 'Allow',
      Action: 'iam:AttachRolePolicy',
      Resource: ownRoles,
      Condition: {
        StringEquals: {
          [MANAGED_BY_RESOURCE_TAG]: MANAGED_BY_VALUE,
          ...boundaryCondition,
        },
        ArnLike: { 'iam:PolicyARN': [...input.allowedPolicyArns] },
      },
    });
  }
  if (input.inlinePolicies) {
    // Presets' inline policies (`preset-<name>`), only on our roles (and, with a boundary,
    // only on roles that carry it, which caps whatever a document grants). IAM has no
    // condition key on a document's content: the product checks it (docs/security.md).
    statements.push({
      Sid: 'PutInlinePoliciesOnOwnedRoles',
      Effect: 'Allow',
      Action: 'iam:PutRolePolicy',
      Resource: ownRoles,
      Condition: {
        StringEquals: {
          [MANAGED_BY_RESOURCE_TAG]: MANAGED_BY_VALUE,
          ...boundaryCondition,
        },
      },
    });
  }
  if (boundary) {
    // A re-run puts the configured boundary back on a role of ours that lost it; that
    // boundary and no other (iam:PermissionsBoundary is the one being set).
    statements.push({
      Sid: 'RestoreBoundaryOfOwnedRoles',
      Effect: 'Allow',
      Action: 'iam:PutRolePermissionsBoundary',
      Resource: ownRoles,
      Condition: {
        StringEquals: {
          [MANAGED_BY_RESOURCE_TAG]: MANAGED_BY_VALUE,
          ...boundaryCondition,
        },
      },
    });
  }
  statements.push(
    // `aws:oidc:ensure` registers a cluster's issuer, always with our tags (IAM authorizes
    // iam:TagOpenIDConnectProvider for the Tags of the create).
    {
      Sid: 'CreateOidcProvidersOwned',
      Effect: 'Allow',
      Action: [
        'iam:CreateOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
      ],
      Resource: anyProvider,
      Condition: {
        StringEquals: { [MANAGED_BY_REQUEST_TAG]: MANAGED_BY_VALUE },
        'ForAllValues:StringEquals': {
          'aws:TagKeys': [ROLE_MANAGED_BY_TAG, OIDC_PROVIDER_CLUSTER_TAG],
        },
      },
    },
    // Adding an audience changes who can federate through a provider: ours only.
    {
      Sid: 'AddAudienceToOwnedOidcProviders',
      Effect: 'Allow',
      Action: 'iam:AddClientIDToOpenIDConnectProvider',
      Resource: anyProvider,
      Condition: {
        StringEquals: { [MANAGED_BY_RESOURCE_TAG]: MANAGED_BY_VALUE },
      },
    },
    // Tags are written only while creating: a role or provider that already carries an
    // ownership tag (ours or another product's value) can never be re-tagged, so nobody
    // can re-own it or move it to another entity. The one exception is a request whose
    // only key is the trust timestamp, which the statement above allows on our roles.
    {
      Sid: 'NeverRetagOwnedResources',
      Effect: 'Deny',
      Action: ['iam:TagRole', 'iam:TagOpenIDConnectProvider'],
      Resource: '*',
      Condition: {
        Null: { [MANAGED_BY_RESOURCE_TAG]: 'false' },
        'ForAnyValue:StringNotEquals': {
          'aws:TagKeys': [ROLE_TRUST_UPDATED_AT_TAG],
        },
      },
    },
    // The cluster's OIDC issuer comes from EKS; the card's F11 lists the Pod Identity
    // associations of a ServiceAccount (both are reads of the cluster resource).
    {
      Sid: 'ReadEksClusters',
      Effect: 'Allow',
      Action: ['eks:DescribeCluster', 'eks:ListPodIdentityAssociations'],
      Resource: `arn:${p}:eks:*:*:cluster/*`,
    },
  );
  return { ok: true, value: { Version: '2012-10-17', Statement: statements } };
}
