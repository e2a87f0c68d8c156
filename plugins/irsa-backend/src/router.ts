import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type {
  ClusterRegistry,
  IrsaService,
} from '@backstage-irsa/plugin-irsa-node';
import {
  irsaStatusReadPermission,
  irsaVerifyPermission,
} from '@backstage-irsa/plugin-irsa-common';
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

const verifyBody = z.object({
  entityRef: z.string().min(1, 'entityRef is required'),
  cluster: z.string().min(1, 'cluster is required'),
  namespace: z.string().min(1, 'namespace is required'),
  serviceAccount: z.string().min(1, 'serviceAccount is required'),
});

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

  /** The entity, when the caller may see it and holds `permission` on it. */
  async function authorizedEntity(
    req: express.Request,
    rawRef: string,
    permission: typeof irsaStatusReadPermission,
    what: string,
  ) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(parseEntityRef(rawRef));
    } catch (e) {
      throw new InputError(
        `Invalid entityRef "${rawRef}": ${(e as Error).message}`,
      );
    }
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to ${what} of ${entityRef}`);
    }
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return entity;
  }

  function parse<T>(schema: z.ZodType<T>, value: unknown): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new InputError(parsed.error.issues.map(i => i.message).join('; '));
    }
    return parsed.data;
  }

  // The entity's IRSA bindings and every check of each. Read-only, but it reveals role
  // ARNs and trust findings, so it follows catalog visibility and irsa.status.read.
  router.get('/status', async (req, res) => {
    const query = parse(statusQuery, req.query);
    const entity = await authorizedEntity(
      req,
      query.entityRef,
      irsaStatusReadPermission,
      'read the IRSA status',
    );
    res.json(await irsaService.status.getStatus(entity));
  });

  // Live STS verify of one of the entity's ServiceAccounts (never an arbitrary one): the
  // answer says who AWS made us and carries no token or credential.
  router.post('/verify', async (req, res) => {
    const body = parse(verifyBody, req.body);
    const entity = await authorizedEntity(
      req,
      body.entityRef,
      irsaVerifyPermission,
      'verify the AWS access',
    );
    const target = {
      cluster: body.cluster,
      namespace: body.namespace,
      name: body.serviceAccount,
    };
    if (!(await irsaService.status.isBindingOf(entity, target))) {
      throw new InputError(
        `${body.namespace}/${body.serviceAccount} on cluster ${body.cluster} is not a ServiceAccount of ${body.entityRef}`,
      );
    }
    res.json(await irsaService.verify.verify(target));
  });

  return router;
}
