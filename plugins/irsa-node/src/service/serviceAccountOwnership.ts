import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  SERVICE_ACCOUNT_ADOPTED_BY_ANNOTATION,
  SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION,
} from '@backstage-irsa/plugin-irsa-common';

/**
 * Whose a ServiceAccount is, from the product's ownership records on it:
 * - `created`: the product created it (label `app.kubernetes.io/managed-by=backstage-irsa`)
 *   for the entity its `irsa.backstage.io/entity-ref` annotation names;
 * - `adopted`: someone else created it (Helm, a team) and `k8s:create-sa` adopted it, with
 *   the opt-in, for the entity its `irsa.backstage.io/adopted-by` annotation names; the
 *   creator's managed-by label is left as it is;
 * - `unnamed`: labelled as the product's but naming no entity, so nobody can be shown to
 *   own it;
 * - undefined: not the product's.
 * The entity-hash label is an index only and never decides.
 */
export type ServiceAccountOwner =
  | { how: 'created' | 'adopted'; entityRef: string }
  | { how: 'unnamed' };

export function serviceAccountOwner(sa: {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}): ServiceAccountOwner | undefined {
  if (sa.labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE) {
    const entityRef = sa.annotations[SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION];
    return entityRef ? { how: 'created', entityRef } : { how: 'unnamed' };
  }
  const adoptedBy = sa.annotations[SERVICE_ACCOUNT_ADOPTED_BY_ANNOTATION];
  return adoptedBy ? { how: 'adopted', entityRef: adoptedBy } : undefined;
}

/** Entity refs compare case-insensitively, as the catalog compares them. */
export function sameEntityRef(a: string | undefined, b: string): boolean {
  return (
    a !== undefined &&
    a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US')
  );
}

/** True when the product's ownership record on `sa` names `entityRef`. */
export function isServiceAccountOf(
  sa: { labels: Record<string, string>; annotations: Record<string, string> },
  entityRef: string,
): boolean {
  const owner = serviceAccountOwner(sa);
  return owner !== undefined && owner.how !== 'unnamed'
    ? sameEntityRef(owner.entityRef, entityRef)
    : false;
}
