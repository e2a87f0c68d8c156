import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  irsaBindingCreatePermission,
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
}) {
  const readers = new Set(
    (options.overviewReaders ?? []).map(r => r.toLocaleLowerCase('en-US')),
  );
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
      if (
        !isPermission(permission, irsaVerifyPermission) &&
        !isPermission(permission, irsaBindingCreatePermission)
      ) {
        return undefined;
      }
      if (!user) return { result: AuthorizeResult.DENY };
      const { ownershipEntityRefs } = await options.userInfo.getUserInfo(
        user.credentials,
      );
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    },
  };
}
