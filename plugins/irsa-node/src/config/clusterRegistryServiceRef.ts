import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ClusterRegistry } from './ClusterRegistry';

/**
 * The validated `irsa` configuration, shared by the IRSA backend plugin and the
 * scaffolder module. Root-scoped so the config is read and validated once.
 * @public
 */
export const clusterRegistryServiceRef = createServiceRef<ClusterRegistry>({
  id: 'irsa.cluster-registry',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => ClusterRegistry.fromConfig(config),
    }),
});
