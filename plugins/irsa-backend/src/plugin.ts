import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { clusterRegistryServiceRef } from '@backstage-irsa/plugin-irsa-node';
import { irsaPermissions } from '@backstage-irsa/plugin-irsa-common';
import { createRouter } from './router';

/**
 * The IRSA backend plugin: cluster list, status and live STS verify over HTTP.
 * @public
 */
export const irsaPlugin = createBackendPlugin({
  pluginId: 'irsa',
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissionsRegistry: coreServices.permissionsRegistry,
        clusterRegistry: clusterRegistryServiceRef,
      },
      async init({
        httpAuth,
        httpRouter,
        logger,
        permissionsRegistry,
        clusterRegistry,
      }) {
        permissionsRegistry.addPermissions(irsaPermissions);
        httpRouter.use(await createRouter({ httpAuth, clusterRegistry }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info('IRSA clusters configured', {
          clusters: clusterRegistry.summaries().map(c => c.name).join(','),
        });
      },
    });
  },
});
