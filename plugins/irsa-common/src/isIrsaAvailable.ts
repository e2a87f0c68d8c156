import {
  IRSA_SERVICE_ACCOUNTS_ANNOTATION,
  KUBERNETES_ID_LABEL,
} from './constants';

/**
 * The part of a catalog entity this package reads. Structural, so the package needs no
 * catalog-model dependency; any `Entity` satisfies it.
 *
 * @public
 */
export interface EntityWithAnnotations {
  metadata: { annotations?: Record<string, string | undefined> };
}

/**
 * True when the entity names workloads the product can look up: it carries the Kubernetes
 * id annotation or an explicit ServiceAccounts annotation with a non-blank value.
 *
 * @public
 */
export function isIrsaAvailable(entity: EntityWithAnnotations): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return [KUBERNETES_ID_LABEL, IRSA_SERVICE_ACCOUNTS_ANNOTATION].some(
    key => (annotations[key] ?? '').trim() !== '',
  );
}
