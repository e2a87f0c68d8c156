export type { AwsGatewayFactory } from './gateways';
export type {
  OidcProviderPlan,
  OidcProviderResult,
} from './OidcProviderService';
export { OidcProviderService, PROVIDER_CLUSTER_TAG } from './OidcProviderService';
export { irsaServiceRef } from './irsaServiceRef';
export type { IrsaService } from './irsaServiceRef';
export { sdkGatewayFactory } from './sdkGatewayFactory';
