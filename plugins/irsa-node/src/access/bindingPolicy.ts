import { namespaceOwnershipRefusal } from '@backstage-irsa/plugin-irsa-common';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { ClusterRegistry, IrsaClusterConfig } from '../config';
import { guardrailProblems } from '../service/guardrails';
import type { BindingEntity } from './RequestAuthorizer';

/**
 * Why the entity may not have a ServiceAccount in `namespace` on any cluster, or
 * undefined: the platform's denied/allowed namespaces first (they hold for everyone, in
 * every request, status and verify), then whose namespace it is.
 */
export function namespaceRefusal(
  registry: ClusterRegistry,
  entity: BindingEntity,
  namespace: string,
): { reason: string; guardrail: boolean } | undefined {
  const guardrail = guardrailProblems(
    { namespace, policyArns: [] },
    registry.guardrails,
  );
  if (guardrail.length > 0) {
    return { reason: guardrail[0].message, guardrail: true };
  }
  const ownership = namespaceOwnershipRefusal(
    entity,
    namespace,
    registry.namespaceOwnership,
  );
  return ownership ? { reason: ownership, guardrail: false } : undefined;
}

/** Throws when the entity may not bind ServiceAccounts in `namespace`. */
export function assertNamespaceOfEntity(
  registry: ClusterRegistry,
  entity: BindingEntity,
  entityRef: string,
  namespace: string,
): void {
  const refusal = namespaceRefusal(registry, entity, namespace);
  if (!refusal) return;
  if (refusal.guardrail) throw new InputError(refusal.reason);
  throw new NotAllowedError(
    `${entityRef} may not use namespace "${namespace}": ${refusal.reason}`,
  );
}

/**
 * Throws unless roles for the cluster's ServiceAccounts may live in `accountId`: the
 * cluster's account or one listed in `allowedAccountIds`. Any other account the backend
 * happens to hold credentials for — Backstage's own main account included — is refused.
 */
export function assertRoleAccount(
  registry: ClusterRegistry,
  cluster: IrsaClusterConfig,
  accountId: string,
): void {
  const allowed = registry.roleAccountsOf(cluster);
  if (allowed.includes(accountId)) return;
  throw new NotAllowedError(
    `Account ${accountId} is not an account of cluster "${
      cluster.name
    }" (allowed: ${allowed.join(
      ', ',
    )}); a platform admin can add it to irsa.clusters[].allowedAccountIds.`,
  );
}
