import { createHash } from 'node:crypto';
import {
  ENTITY_HASH_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '@backstage-irsa/plugin-irsa-common';

/** The value of ENTITY_HASH_LABEL for `entityRef` (refs compare case-insensitively). */
export function entityHashLabelValue(entityRef: string): string {
  return createHash('sha256')
    .update(entityRef.toLocaleLowerCase('en-US'))
    .digest('hex')
    .slice(0, 40);
}

/** The label selector of the ServiceAccounts this product created for `entityRef`. */
export function ownedServiceAccountLabels(
  entityRef: string,
): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [ENTITY_HASH_LABEL]: entityHashLabelValue(entityRef),
  };
}
