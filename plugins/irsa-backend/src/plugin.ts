import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  clusterRegistryServiceRef,
  irsaServiceRef,
} from '@backstage-irsa/plugin-irsa-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
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
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
        clusterRegistry: clusterRegistryServiceRef,
        irsaService: irsaServiceRef,
      },
      async init({
        httpAuth,
        httpRouter,
        logger,
        permissionsRegistry,
        permissions,
        catalog,
        clusterRegistry,
        irsaService,
      }) {
        permissionsRegistry.addPermissions(irsaPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            catalog,
            clusterRegistry,
            irsaService,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info('IRSA clusters configured', {
          clusters: clusterRegistry
            .summaries()
            .map(c => c.name)
            .join(','),
        });
      },
    });
  },
});
