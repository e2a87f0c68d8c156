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
        auditor: coreServices.auditor,
        cache: coreServices.cache,
        config: coreServices.rootConfig,
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
        auditor,
        cache,
        config,
        catalog,
        clusterRegistry,
        irsaService,
      }) {
        permissionsRegistry.addPermissions(irsaPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            auditor,
            cache,
            catalog,
            clusterRegistry,
            irsaService,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        if (config.getOptionalBoolean('permission.enabled') !== true) {
          // Without the permission framework every permission is allowed: anyone who may
          // run the template could request access for any entity.
          logger.warn(
            'permission.enabled is not true: irsa.binding.create, irsa.binding.delete, irsa.verify and irsa.status.read are granted to everyone. ' +
              'Enable the permission framework with a policy (see docs/security.md).',
          );
        }
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
