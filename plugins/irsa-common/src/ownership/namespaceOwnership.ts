import { matchesWildcard } from '../trustPolicy/stringMatch';

/**
 * The entity annotation Backstage's Kubernetes plugin uses for an entity's namespace; by
 * default it is also the namespace an entity may bind ServiceAccounts in.
 *
 * @public
 */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * How the platform says which namespaces an entity may use (`irsa.namespaceOwnership`).
 *
 * - `annotation` (default): the namespace in the entity's
 *   `backstage.io/kubernetes-namespace` annotation, and no other.
 * - `config`: a list of namespaces (globs) with their owning groups or users; an entity
 *   may use a namespace when its `spec.owner` is one of them.
 *
 * @public
 */
export type NamespaceOwnership =
  | { source: 'annotation' }
  | {
      source: 'config';
      namespaces: ReadonlyArray<{ name: string; owners: readonly string[] }>;
    };

/**
 * The parts of a catalog entity namespace ownership reads.
 *
 * @public
 */
export interface NamespaceOwnershipEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string | undefined>;
  };
  spec?: { owner?: unknown } & Record<string, unknown>;
}

/**
 * An owner reference in the catalog's canonical form: `spec.owner: team-a` means
 * `group:<entity namespace>/team-a`, as the catalog resolves it.
 *
 * @public
 */
export function normalizeOwnerRef(owner: string, namespace = 'default') {
  const colon = owner.indexOf(':');
  const kind = colon < 0 ? 'group' : owner.slice(0, colon);
  const rest = colon < 0 ? owner : owner.slice(colon + 1);
  const slash = rest.indexOf('/');
  const ns = slash < 0 ? namespace : rest.slice(0, slash);
  const name = slash < 0 ? rest : rest.slice(slash + 1);
  return `${kind.toLocaleLowerCase('en-US')}:${ns.toLocaleLowerCase(
    'en-US',
  )}/${name.toLocaleLowerCase('en-US')}`;
}

/**
 * Why `entity` may not bind ServiceAccounts in `namespace`, or `undefined` when it may.
 * The message says what the platform or the entity's authors can change.
 *
 * @public
 */
export function namespaceOwnershipRefusal(
  entity: NamespaceOwnershipEntity,
  namespace: string,
  ownership: NamespaceOwnership,
): string | undefined {
  if (ownership.source === 'annotation') {
    const own = entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION];
    if (!own) {
      return (
        `The entity has no ${KUBERNETES_NAMESPACE_ANNOTATION} annotation, so it may not use any namespace. ` +
        `Add "${KUBERNETES_NAMESPACE_ANNOTATION}: ${namespace}" to its catalog-info.yaml if the namespace is its own.`
      );
    }
    if (own.trim() !== namespace) {
      return (
        `Namespace "${namespace}" is not the entity's namespace: its ${KUBERNETES_NAMESPACE_ANNOTATION} ` +
        `annotation says "${own.trim()}".`
      );
    }
    return undefined;
  }
  const owner =
    typeof entity.spec?.owner === 'string' && entity.spec.owner !== ''
      ? normalizeOwnerRef(entity.spec.owner, entity.metadata.namespace)
      : undefined;
  const entries = ownership.namespaces.filter(n =>
    matchesWildcard(n.name, namespace),
  );
  if (entries.length === 0) {
    return `Namespace "${namespace}" is not listed in irsa.namespaceOwnership.namespaces; ask your platform team to add it with its owners.`;
  }
  const owners = entries.flatMap(n => n.owners.map(o => normalizeOwnerRef(o)));
  if (!owner || !owners.includes(owner)) {
    return (
      `Namespace "${namespace}" belongs to ${owners.join(
        ', ',
      )} (irsa.namespaceOwnership), ` +
      `not to the entity's owner ${owner ?? '(none)'}.`
    );
  }
  return undefined;
}
