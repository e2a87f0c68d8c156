import {
  IRSA_ROLE_ARN_ANNOTATION,
  MANAGED_BY_VALUE,
  ROLE_ENTITY_REF_TAG,
  ROLE_MANAGED_BY_TAG,
} from '@backstage-irsa/plugin-irsa-common';
import { NotAllowedError } from '@backstage/errors';
import type { ServiceAccountRecord } from '../kubernetes';
import { creatorOf } from './serviceAccountAdoption';
import {
  sameEntityRef,
  type ServiceAccountOwner,
} from './serviceAccountOwnership';

/**
 * Throws a NotAllowedError unless the role is one backstage-irsa created for `entityRef`
 * (its two tags): a role of another entity, one without an entity tag and one the product
 * did not create are never detached, deleted or re-trusted, whoever asks.
 */
export function assertRoleRetirableBy(
  role: { tags: Record<string, string> },
  entityRef: string,
  roleArn: string,
): void {
  if (role.tags[ROLE_MANAGED_BY_TAG] !== MANAGED_BY_VALUE) {
    throw new NotAllowedError(
      `IAM role ${roleArn} was not created by backstage-irsa (no ${ROLE_MANAGED_BY_TAG}=${MANAGED_BY_VALUE} tag), ` +
        'so backstage-irsa will not delete it or change its trust, and nothing was changed. Its owners remove it by hand.',
    );
  }
  const owner = role.tags[ROLE_ENTITY_REF_TAG];
  if (!owner) {
    throw new NotAllowedError(
      `IAM role ${roleArn} is managed by backstage-irsa but has no ${ROLE_ENTITY_REF_TAG} tag, so no entity can be ` +
        'shown to own it and it is not removed; nothing was changed. A platform admin can remove it by hand.',
    );
  }
  if (!sameEntityRef(owner, entityRef)) {
    throw new NotAllowedError(
      `IAM role ${roleArn} belongs to ${owner}, not ${entityRef}, so it is not removed and nothing was changed. ` +
        `Remove it as ${owner} (its owners run "Remove AWS access" for it), or give the role of ${entityRef}.`,
    );
  }
}

/** How a ServiceAccount that is not the entity's is described in a refusal. */
function whoseIs(
  sa: ServiceAccountRecord,
  owner: ServiceAccountOwner | undefined,
): string {
  if (owner?.how === 'created') return `was created for ${owner.entityRef}`;
  if (owner?.how === 'adopted') return `was adopted for ${owner.entityRef}`;
  if (owner?.how === 'unnamed') {
    return 'is labelled as managed by backstage-irsa but names no entity';
  }
  const { managedBy, helmRelease } = creatorOf(sa);
  if (helmRelease) return `was made by Helm release "${helmRelease}"`;
  return managedBy
    ? `was not made by backstage-irsa (managed by ${managedBy})`
    : 'was not made by backstage-irsa';
}

/**
 * The refusal for a ServiceAccount that is not the entity's (created or adopted by
 * backstage-irsa for it) but would have to change: its role is the one being removed, or
 * no role was given and would be read from it. Nothing is written, and the way out is named.
 */
export function foreignServiceAccountRefusal(
  where: string,
  sa: ServiceAccountRecord,
  owner: ServiceAccountOwner | undefined,
  entityRef: string,
  roleArn: string | undefined,
): NotAllowedError {
  const whose = whoseIs(sa, owner);
  if (!roleArn) {
    return new NotAllowedError(
      `${where} ${whose}, not for ${entityRef}, so backstage-irsa does not change it or take the role to remove from it; ` +
        `nothing was changed. To remove a role of ${entityRef} that trusts this ServiceAccount's name, give roleArn: ` +
        'the role is then removed (or this name taken out of its trust) and the ServiceAccount left as it is.',
    );
  }
  const { helm } = creatorOf(sa);
  const fix = helm
    ? `remove ${IRSA_ROLE_ARN_ANNOTATION} from the Helm release's values (serviceAccount.annotations in most charts) and upgrade it`
    : `have its owner remove the annotation (kubectl -n ${sa.namespace} annotate serviceaccount ${sa.name} ${IRSA_ROLE_ARN_ANNOTATION}-)`;
  return new NotAllowedError(
    `${where} ${whose}, not for ${entityRef}, and its ${IRSA_ROLE_ARN_ANNOTATION} annotation names ${roleArn}: ` +
      'removing that role would leave its pods pointing at a role that no longer exists, and backstage-irsa does not ' +
      `change a ServiceAccount it did not create or adopt for ${entityRef}. Nothing was changed. Fix: ${fix}, then run this again.`,
  );
}
