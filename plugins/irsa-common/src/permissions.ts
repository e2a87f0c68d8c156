import { createPermission } from '@backstage/plugin-permission-common';

// The catalog's resource type, written out so this package does not depend on
// @backstage/plugin-catalog-common for one string. Both permissions are checked against
// the entity whose ServiceAccounts are being looked at, so catalog conditional rules
// (such as "is owner") apply to them.
const CATALOG_ENTITY_RESOURCE_TYPE = 'catalog-entity';

/**
 * Permission to read an entity's IRSA status (`GET /status`): roles, trust evaluation,
 * pods. Read-only, so it carries `action: 'read'` and generic read policies cover it.
 *
 * @public
 */
export const irsaStatusReadPermission = createPermission({
  name: 'irsa.status.read',
  attributes: { action: 'read' },
  resourceType: CATALOG_ENTITY_RESOURCE_TYPE,
});

/**
 * Permission to run a live verify (`POST /verify`) for an entity's ServiceAccount.
 *
 * @remarks
 * No `action` attribute, on purpose. Verify changes nothing — it mints a short-lived token
 * for the ServiceAccount and exchanges it with STS under a deny-all session policy — so
 * `create`, `update` or `delete` would be wrong. But it is not a plain read either: it
 * authenticates to AWS as the workload and calls STS, and policies that allow every
 * `read` would grant it silently. Leaving the action unset means a permission policy must
 * name `irsa.verify` (or allow all permissions) to grant it.
 *
 * @public
 */
export const irsaVerifyPermission = createPermission({
  name: 'irsa.verify',
  attributes: {},
  resourceType: CATALOG_ENTITY_RESOURCE_TYPE,
});

/**
 * Permission to request AWS access for an entity: every write of the scaffolder actions
 * (`aws:oidc:ensure`, `aws:irsa:create-role`, `k8s:create-sa`) checks it on the entity the
 * request names, with the credentials of the user who started the task.
 *
 * @remarks
 * `action: 'create'`: it creates IAM roles, trust and ServiceAccounts. The product's default
 * policy grants it to the entity's owners only.
 *
 * @public
 */
export const irsaBindingCreatePermission = createPermission({
  name: 'irsa.binding.create',
  attributes: { action: 'create' },
  resourceType: CATALOG_ENTITY_RESOURCE_TYPE,
});

/**
 * Permission to retire an entity's AWS access (`aws:irsa:delete-role`, the "Remove AWS
 * access" template): delete a role the product made for the entity (or take one
 * ServiceAccount out of its trust), and delete or release the ServiceAccount. Checked on the
 * entity the request names, with the credentials of the user who started the task.
 *
 * @remarks
 * A permission of its own, not `irsa.binding.create`: removing access is destructive, so a
 * platform can let owners request access but keep removal for a platform team, or the
 * reverse; and it must be grantable for an entity that has left the catalog (an orphaned
 * role), which only an unconditional decision can do. `action: 'delete'`. The product's
 * default policy grants it to the entity's owners and to the users and groups it is given
 * as retirers (see `createIrsaPolicyDecisions`).
 *
 * @public
 */
export const irsaBindingDeletePermission = createPermission({
  name: 'irsa.binding.delete',
  attributes: { action: 'delete' },
  resourceType: CATALOG_ENTITY_RESOURCE_TYPE,
});

/**
 * Permission to see every ServiceAccount the product manages, on every cluster, with its
 * owner, role and status (`GET /overview`): the platform team's view. Not a resource
 * permission: it is about all entities at once.
 *
 * @public
 */
export const irsaOverviewReadPermission = createPermission({
  name: 'irsa.overview.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the IRSA plugin, for `permissionsRegistry.addPermissions`.
 *
 * @public
 */
export const irsaPermissions = [
  irsaStatusReadPermission,
  irsaVerifyPermission,
  irsaBindingCreatePermission,
  irsaOverviewReadPermission,
  irsaBindingDeletePermission,
];
