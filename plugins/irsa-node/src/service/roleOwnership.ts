import {
  MANAGED_BY_VALUE,
  ROLE_ENTITY_REF_TAG,
  ROLE_MANAGED_BY_TAG,
} from '@backstage-irsa/plugin-irsa-common';
import { ConflictError } from '@backstage/errors';

/**
 * Throws a ConflictError unless the role was created by this product for `entityRef`:
 * a role of another entity, an unmanaged role, and a managed role whose entity tag is
 * missing (nobody can say whose it is) may gain, keep or change trust only by hand.
 */
export function assertRoleOwnedBy(
  role: { tags: Record<string, string> },
  entityRef: string,
  roleName: string,
): void {
  if (role.tags[ROLE_MANAGED_BY_TAG] !== MANAGED_BY_VALUE) {
    throw new ConflictError(
      `IAM role ${roleName} already exists and backstage-irsa did not create it, so it will not change it. ` +
        "Choose another role name, or ask the role's owner to add the trust by hand (see docs/troubleshooting.md).",
    );
  }
  const owner = role.tags[ROLE_ENTITY_REF_TAG];
  if (!owner) {
    throw new ConflictError(
      `IAM role ${roleName} is managed by backstage-irsa but has no ${ROLE_ENTITY_REF_TAG} tag, so no entity can be ` +
        'shown to own it and it will not be changed. Choose another role name, or have a platform admin tag it ' +
        `with ${ROLE_ENTITY_REF_TAG}=<its entity>.`,
    );
  }
  if (
    owner.toLocaleLowerCase('en-US') !== entityRef.toLocaleLowerCase('en-US')
  ) {
    throw new ConflictError(
      `IAM role ${roleName} belongs to ${owner}, not ${entityRef}; choose another role name for ${entityRef}, ` +
        `or ask the owners of ${owner} if you need their access.`,
    );
  }
}
