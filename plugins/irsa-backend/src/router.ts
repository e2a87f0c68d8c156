import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type {
  ClusterRegistry,
  IrsaService,
} from '@backstage-irsa/plugin-irsa-node';
import { irsaStatusReadPermission } from '@backstage-irsa/plugin-irsa-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  clusterRegistry: ClusterRegistry;
  irsaService: IrsaService;
}

const statusQuery = z.object({
  entityRef: z
    .string()
    .min(1, 'entityRef is required, e.g. component:default/payments-api'),
});

/**
 * The HTTP API of the IRSA plugin, mounted at `/api/irsa`. Thin by design: it checks who
 * calls and what they may see, then hands over to the services; errors thrown here are
 * `@backstage/errors` and the backend's error middleware turns them into responses.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, clusterRegistry, irsaService } =
    options;
  const router = Router();
  router.use(express.json());

  // Liveness for load balancers and the smoke test; unauthenticated (see plugin.ts).
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The configured clusters, for the template form and the card. No connection details.
  router.get('/clusters', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: clusterRegistry.summaries() });
  });

  // The entity's IRSA bindings and every check of each. Read-only, but it reveals role
  // ARNs and trust findings, so it follows catalog visibility and irsa.status.read.
  router.get('/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = statusQuery.safeParse(req.query);
    if (!query.success) {
      throw new InputError(query.error.issues.map(i => i.message).join('; '));
    }
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(parseEntityRef(query.data.entityRef));
    } catch (e) {
      throw new InputError(
        `Invalid entityRef "${query.data.entityRef}": ${(e as Error).message}`,
      );
    }
    const [decision] = await permissions.authorize(
      [{ permission: irsaStatusReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the IRSA status of ${entityRef}`,
      );
    }
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    res.json(await irsaService.status.getStatus(entity));
  });

  return router;
}
