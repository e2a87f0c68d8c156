import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  irsaBindingCreatePermission,
  irsaBindingDeletePermission,
  irsaOverviewReadPermission,
  irsaStatusReadPermission,
  irsaVerifyPermission,
} from '@backstage-irsa/plugin-irsa-common';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/**
 * The product's documented default for its own permissions, for a platform's permission
 * policy to call first (see docs/security.md):
 *
 * - `irsa.status.read`: everyone signed in (the card shows nothing secret);
 * - `irsa.overview.read`: the users and groups in `overviewReaders` (platform teams);
 * - `irsa.verify` and `irsa.binding.create`: the entity's owners only — the user or one
 *   of their groups is the entity's `spec.owner` — decided by the catalog as a conditional
 *   decision, so it follows the same ownership as the rest of Backstage;
 * - `irsa.binding.delete` (retire access): the users and groups in `retirers`, on every
 *   entity, also one that has left the catalog (an orphaned role); everyone else, the
 *   entity's owners only, as above;
 * - anything else: `undefined`, for the caller's own policy to decide.
 *
 * @public
 */
export function createIrsaPolicyDecisions(options: {
  userInfo: UserInfoService;
  /**
   * Users and groups (entity refs, e.g. `group:default/platform`) who may read the
   * platform overview (`irsa.overview.read`); nobody else may. Default: nobody.
   */
  overviewReaders?: string[];
  /**
   * Users and groups (entity refs) who may retire any entity's AWS access
   * (`irsa.binding.delete` on every entity, orphans whose entity has left the catalog
   * included). Default: nobody; owners may always retire their own entity's access.
   */
  retirers?: string[];
}) {
  const lower = (refs?: string[]) =>
    new Set((refs ?? []).map(r => r.toLocaleLowerCase('en-US')));
  const readers = lower(options.overviewReaders);
  const retirers = lower(options.retirers);
  return {
    async decide(
      request: PolicyQuery,
      user?: PolicyQueryUser,
    ): Promise<PolicyDecision | undefined> {
      const { permission } = request;
      if (isPermission(permission, irsaStatusReadPermission)) {
        return { result: AuthorizeResult.ALLOW };
      }
      if (isPermission(permission, irsaOverviewReadPermission)) {
        if (!user) return { result: AuthorizeResult.DENY };
        const { ownershipEntityRefs } = await options.userInfo.getUserInfo(
          user.credentials,
        );
        return ownershipEntityRefs.some(r =>
          readers.has(r.toLocaleLowerCase('en-US')),
        )
          ? { result: AuthorizeResult.ALLOW }
          : { result: AuthorizeResult.DENY };
      }
      const retire = isPermission(permission, irsaBindingDeletePermission);
      if (
        !retire &&
        !isPermission(permission, irsaVerifyPermission) &&
        !isPermission(permission, irsaBindingCreatePermission)
      ) {
        return undefined;
      }
      if (!user) return { result: AuthorizeResult.DENY };
      const { ownershipEntityRefs } = await options.userInfo.getUserInfo(
        user.credentials,
      );
      // Unconditional for the platform's retirers: a condition needs the entity, and an
      // orphaned role's entity is no longer in the catalog.
      if (
        retire &&
        ownershipEntityRefs.some(r =>
          retirers.has(r.toLocaleLowerCase('en-US')),
        )
      ) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    },
  };
}
