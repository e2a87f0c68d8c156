import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ClusterRegistry } from '@backstage-irsa/plugin-irsa-node';
import express from 'express';
import Router from 'express-promise-router';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  clusterRegistry: ClusterRegistry;
}

/**
 * The HTTP API of the IRSA plugin, mounted at `/api/irsa`. Thin by design: it checks who
 * calls, then hands over to the services; errors thrown here are `@backstage/errors` and
 * the backend's error middleware turns them into responses.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, clusterRegistry } = options;
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

  return router;
}
