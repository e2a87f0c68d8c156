import {
  irsaBindingCreatePermission,
  irsaBindingDeletePermission,
  irsaVerifyPermission,
  parseRequestEntityRef,
  type NamespaceOwnershipEntity,
} from '@backstage-irsa/plugin-irsa-common';
import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ClusterRegistry } from '../config';

/** A catalog entity as the authorizer reads it. */
export type BindingEntity = NamespaceOwnershipEntity;

/**
 * What the authorizer needs of the catalog: `CatalogService` from
 * `@backstage/plugin-catalog-node` fits. Reads go with the requester's credentials, so
 * catalog visibility rules apply.
 */
export interface EntityReader {
  getEntityByRef(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<BindingEntity | undefined>;
}

/** A requester allowed to request access for an entity. */
export interface AuthorizedBinding {
  entity: BindingEntity;
  /** Canonical `kind:namespace/name`. */
  entityRef: string;
  /** The user who asked, e.g. `user:default/ada`. */
  requester: string;
}

/**
 * A requester allowed to retire an entity's AWS access. `entity` is absent when the entity
 * is no longer in the catalog (or not visible to them) and the permission policy allowed
 * them unconditionally: a platform team removing an orphaned role.
 */
export interface AuthorizedRetirement {
  entity?: BindingEntity;
  /** Canonical `kind:namespace/name`. */
  entityRef: string;
  requester: string;
}

/**
 * Decides whether the person behind a request may ask for AWS access for an entity, before
 * anything else happens: the entity ref is well formed and of an allowed kind, the entity
 * exists and the requester can see it, and the permission framework grants them
 * `irsa.binding.create` on it (the default policy: owners only). The scaffolder actions
 * call it with the task initiator's credentials.
 */
export class RequestAuthorizer {
  constructor(
    private readonly options: {
      registry: ClusterRegistry;
      catalog: EntityReader;
      permissions: PermissionsService;
    },
  ) {}

  /**
   * `permission`: `irsa.binding.create` (the writes, by default) or `irsa.verify` (the
   * aws:irsa:verify action, as the card's Verify).
   */
  async authorizeBinding(
    rawEntityRef: string,
    credentials: BackstageCredentials,
    permission:
      | typeof irsaBindingCreatePermission
      | typeof irsaVerifyPermission = irsaBindingCreatePermission,
  ): Promise<AuthorizedBinding> {
    const { registry, catalog, permissions } = this.options;
    const parsed = parseRequestEntityRef(rawEntityRef);
    if (!parsed.ok) {
      throw new InputError(`entityRef: ${parsed.problems[0].message}`);
    }
    const { ref: entityRef, kind } = parsed.value;
    if (!registry.entityKinds.includes(kind)) {
      throw new InputError(
        `entityRef: AWS access can only be requested for entities of kind ${registry.entityKinds.join(
          ', ',
        )} (irsa.entityKinds), not "${kind}" (${entityRef}).`,
      );
    }
    // Tasks started by a service (not a person) carry service credentials, which the
    // permission framework allows everything: no owner could be checked, so refuse.
    const principal = credentials.principal as { type: string };
    if (principal.type !== 'user') {
      throw new NotAllowedError(
        `AWS access must be requested by a signed-in user; this request came from a ${principal.type} principal.`,
      );
    }
    const requester = (credentials.principal as BackstageUserPrincipal)
      .userEntityRef;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      // Not found and not visible read the same, so nothing leaks about hidden entities.
      throw new NotFoundError(
        `entityRef: No entity ${entityRef} in the catalog that you can see; pick your service from the catalog.`,
      );
    }
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `entityRef: ${requester} may not ${
          permission.name === irsaVerifyPermission.name
            ? 'verify the AWS access of'
            : 'request AWS access for'
        } ${entityRef} (permission ${permission.name}); ` +
          "only the entity's owners may. Ask one of them, or the platform team.",
      );
    }
    return { entity, entityRef, requester };
  }

  /**
   * Whether the user may retire the AWS access of an entity (`aws:irsa:delete-role`): a
   * well-formed entity ref, a signed-in user, and `irsa.binding.delete` on the entity. Unlike
   * a request, the entity need not be in the catalog any more: an orphaned role's entity is
   * gone, and a policy that allows the user unconditionally (a platform team) may remove it.
   * A conditional decision (owners) needs the entity, so without it the answer is the same
   * NotFoundError as for a request, and nothing leaks about hidden entities. The entity's kind
   * is not checked against `irsa.entityKinds`: removing access a kind once had is allowed.
   */
  async authorizeRetirement(
    rawEntityRef: string,
    credentials: BackstageCredentials,
  ): Promise<AuthorizedRetirement> {
    const { catalog, permissions } = this.options;
    const parsed = parseRequestEntityRef(rawEntityRef);
    if (!parsed.ok) {
      throw new InputError(`entityRef: ${parsed.problems[0].message}`);
    }
    const entityRef = parsed.value.ref;
    const principal = credentials.principal as { type: string };
    if (principal.type !== 'user') {
      throw new NotAllowedError(
        `AWS access must be removed by a signed-in user; this request came from a ${principal.type} principal.`,
      );
    }
    const requester = (credentials.principal as BackstageUserPrincipal)
      .userEntityRef;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    const [decision] = await permissions.authorize(
      [{ permission: irsaBindingDeletePermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      if (!entity) {
        throw new NotFoundError(
          `entityRef: No entity ${entityRef} in the catalog that you can see; pick your service from the catalog. ` +
            'Removing the access of an entity that has left the catalog takes a platform team allowed irsa.binding.delete on every entity.',
        );
      }
      throw new NotAllowedError(
        `entityRef: ${requester} may not remove the AWS access of ${entityRef} (permission ${irsaBindingDeletePermission.name}); ` +
          "only the entity's owners and the platform team may. Ask one of them.",
      );
    }
    return { ...(entity ? { entity } : {}), entityRef, requester };
  }
}
