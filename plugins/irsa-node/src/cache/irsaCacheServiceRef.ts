import {
  type CacheService,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';

/**
 * The cache the IRSA operations read through: Backstage's cache (`backend.cache`), in the
 * `irsa` plugin's namespace. Root-scoped because the operations are shared by the `irsa`
 * plugin (status) and the scaffolder module (writes that must clear what they change), and
 * a plugin's `coreServices.cache` only reaches its own plugin's keys. Built the way
 * backend-defaults' cache service factory builds it, so on Redis or memcache every replica
 * shares these entries. Adopters may replace it with a factory of their own.
 * @public
 */
export const irsaCacheServiceRef = createServiceRef<CacheService>({
  id: 'irsa.cache',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
      },
      factory: ({ config, logger }) =>
        CacheManager.fromConfig(config, { logger }).forPlugin('irsa'),
    }),
});
