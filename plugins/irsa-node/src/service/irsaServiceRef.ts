import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { AwsClientFactory } from '../aws';
import { clusterRegistryServiceRef } from '../config';
import { OidcProviderService } from './OidcProviderService';
import { sdkGatewayFactory } from './sdkGatewayFactory';

/**
 * The IRSA operations, shared by the backend plugin and the scaffolder module, and
 * replaceable by adopters through a service factory of their own.
 * @public
 */
export interface IrsaService {
  oidcProviders: OidcProviderService;
}

/** @public */
export const irsaServiceRef = createServiceRef<IrsaService>({
  id: 'irsa.service',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, registry: clusterRegistryServiceRef },
      factory: ({ config, registry }) => {
        const gateways = sdkGatewayFactory(AwsClientFactory.fromConfig(config));
        return { oidcProviders: new OidcProviderService(registry, gateways) };
      },
    }),
});
