import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  irsaBindingCreatePermission,
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
 * - `irsa.verify` and `irsa.binding.create`: the entity's owners only — the user or one
 *   of their groups is the entity's `spec.owner` — decided by the catalog as a conditional
 *   decision, so it follows the same ownership as the rest of Backstage;
 * - anything else: `undefined`, for the caller's own policy to decide.
 *
 * @public
 */
export function createIrsaPolicyDecisions(options: {
  userInfo: UserInfoService;
}) {
  return {
    async decide(
      request: PolicyQuery,
      user?: PolicyQueryUser,
    ): Promise<PolicyDecision | undefined> {
      const { permission } = request;
      if (isPermission(permission, irsaStatusReadPermission)) {
        return { result: AuthorizeResult.ALLOW };
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
