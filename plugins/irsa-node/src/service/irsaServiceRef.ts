import {
  type CacheService,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { AwsClientFactory, SdkStsGateway } from '../aws';
import { ClusterRegistry, clusterRegistryServiceRef } from '../config';
import { BindingPlanner } from './BindingPlanner';
import { FormService } from './FormService';
import { OidcProviderService } from './OidcProviderService';
import { RoleService } from './RoleService';
import { ServiceAccountService } from './ServiceAccountService';
import { StatusService } from './StatusService';
import { OverviewService } from './OverviewService';
import { RetirementService } from './RetirementService';
import { VerifyService } from './VerifyService';
import { EksTokenProvider, kubernetesGatewayFor } from '../kubernetes';
import { sdkGatewayFactory } from './sdkGatewayFactory';
import { limitedGateway, onePerKey, PeerLimiter } from '../budget';
import {
  cachingGatewayFactory,
  forgettingAfter,
  irsaCacheServiceRef,
  ReadCache,
} from '../cache';
import type { AwsGatewayFactory } from './gateways';

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
  /** Every managed ServiceAccount, for the platform team (irsa.overview.read). */
  overview: OverviewService;
  verify: VerifyService;
  /** Removes a ServiceAccount's access: its role (or its trust) and the ServiceAccount. */
  retirement: RetirementService;
  /** Plans a whole request (all three steps) with reads only. */
  bindings: BindingPlanner;
  /** What the template's field extensions show, checked as the actions check. */
  form: FormService;
  /** The validated `irsa` configuration the operations follow. */
  registry: ClusterRegistry;
}

/**
 * Builds the IRSA operations from the app config: the `irsa` section (validated) and AWS
 * credentials from `aws.*` through @backstage/integration-aws-node. With `cache`, reads and
 * status reports are reused for `irsa.cache`'s TTLs (see docs/configuration.md, call
 * budget); without it every status reads everything.
 * @public
 */
export function createIrsaService(
  config: Config,
  registry: ClusterRegistry = ClusterRegistry.fromConfig(config),
  cache?: CacheService,
): IrsaService {
  const reads = cache ? new ReadCache(cache, registry.cache) : ReadCache.none();
  // One client per account and region, one gateway per cluster, one STS client per
  // region: reused connections and credentials. Calls to each peer are bounded.
  const awsLimiter = new PeerLimiter(registry.aws.maxConcurrency);
  const sdk = sdkGatewayFactory(
    AwsClientFactory.fromConfig(config, registry.aws),
  );
  const limited: AwsGatewayFactory = {
    iam: async (account, region) =>
      limitedGateway(
        await sdk.iam(account, region),
        awsLimiter,
        `${account}/${region}`,
      ),
    eks: async (account, region) =>
      limitedGateway(
        await sdk.eks(account, region),
        awsLimiter,
        `${account}/${region}`,
      ),
  };
  const cached = cachingGatewayFactory(limited, reads, false);
  const fresh = cachingGatewayFactory(limited, reads, true);
  const freshSince = (since: number) =>
    cachingGatewayFactory(limited, reads, since);

  const k8sLimiter = new PeerLimiter(registry.kubernetesMaxConcurrency);
  // EKS tokens of `authProvider: aws` clusters, with integration-aws-node's credentials.
  const eksTokens = EksTokenProvider.fromConfig(config, registry.aws);
  const k8sFor = onePerKey(name =>
    limitedGateway(
      kubernetesGatewayFor(name, registry.get(name).kubernetes, {
        timeoutMs: registry.kubernetesTimeoutMs,
        maxSockets: registry.kubernetesMaxConcurrency,
        eksTokens,
      }),
      k8sLimiter,
      name,
    ),
  );
  // ServiceAccount writes change what status reports show: they end every cached one.
  const k8sWriterFor = (name: string) =>
    forgettingAfter(
      k8sFor(name),
      [
        'createServiceAccount',
        'patchServiceAccountMetadata',
        'applyServiceAccountMetadata',
        'deleteServiceAccount',
      ],
      reads,
    );
  const stsFor = onePerKey(region => new SdkStsGateway(region, registry.aws));

  const oidcProviders = new OidcProviderService(registry, fresh);
  const roles = new RoleService(registry, fresh);
  // Adoption replaces a role annotation only when it names a managed role of the entity.
  const serviceAccounts = new ServiceAccountService(
    registry,
    k8sWriterFor,
    (roleArn, entityRef, cluster) =>
      roles.assertRoleOfEntity(roleArn, entityRef, cluster),
  );
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
    status: new StatusService(registry, cached, k8sFor, undefined, {
      freshSince,
      cache: reads,
    }),
    overview: new OverviewService(registry, cached, k8sFor, reads, {
      freshSince,
    }),
    verify: new VerifyService(registry, k8sFor, stsFor, fresh),
    retirement: new RetirementService(registry, fresh, k8sWriterFor),
    form: new FormService(registry, roles, k8sFor),
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
        cache: irsaCacheServiceRef,
      },
      factory: ({ config, registry, cache }) =>
        createIrsaService(config, registry, cache),
    }),
});
