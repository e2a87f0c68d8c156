import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { AwsClientFactory, SdkStsGateway } from '../aws';
import { ClusterRegistry, clusterRegistryServiceRef } from '../config';
import { BindingPlanner } from './BindingPlanner';
import { OidcProviderService } from './OidcProviderService';
import { RoleService } from './RoleService';
import { ServiceAccountService } from './ServiceAccountService';
import { StatusService } from './StatusService';
import { VerifyService } from './VerifyService';
import { ClientKubernetesGateway, kubeConfigFor } from '../kubernetes';
import { sdkGatewayFactory } from './sdkGatewayFactory';

/**
 * The IRSA operations, shared by the backend plugin and the scaffolder module, and
 * replaceable by adopters through a service factory of their own.
 * @public
 */
export interface IrsaService {
  oidcProviders: OidcProviderService;
  roles: RoleService;
  serviceAccounts: ServiceAccountService;
  status: StatusService;
  verify: VerifyService;
  /** Plans a whole request (all three steps) with reads only. */
  bindings: BindingPlanner;
  /** The validated `irsa` configuration the operations follow. */
  registry: ClusterRegistry;
}

/**
 * Builds the IRSA operations from the app config: the `irsa` section (validated) and AWS
 * credentials from `aws.*` through @backstage/integration-aws-node.
 * @public
 */
export function createIrsaService(
  config: Config,
  registry: ClusterRegistry = ClusterRegistry.fromConfig(config),
): IrsaService {
  const gateways = sdkGatewayFactory(
    AwsClientFactory.fromConfig(config, registry.aws),
  );
  const k8sFor = (name: string) =>
    new ClientKubernetesGateway(
      name,
      kubeConfigFor(name, registry.get(name).kubernetes),
      registry.kubernetesTimeoutMs,
    );
  const oidcProviders = new OidcProviderService(registry, gateways);
  const roles = new RoleService(registry, gateways);
  const serviceAccounts = new ServiceAccountService(registry, k8sFor);
  return {
    registry,
    oidcProviders,
    roles,
    serviceAccounts,
    bindings: new BindingPlanner(registry, {
      oidcProviders,
      roles,
      serviceAccounts,
    }),
    status: new StatusService(registry, gateways, k8sFor),
    verify: new VerifyService(
      registry,
      k8sFor,
      region => new SdkStsGateway(region, registry.aws),
      gateways,
    ),
  };
}

/** @public */
export const irsaServiceRef = createServiceRef<IrsaService>({
  id: 'irsa.service',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        registry: clusterRegistryServiceRef,
      },
      factory: ({ config, registry }) => createIrsaService(config, registry),
    }),
});
