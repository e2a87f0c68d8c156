export type { AwsGatewayFactory } from './gateways';
export type {
  OidcProviderPlan,
  OidcProviderResult,
} from './OidcProviderService';
export {
  OidcProviderService,
  PROVIDER_CLUSTER_TAG,
} from './OidcProviderService';
export { createIrsaService, irsaServiceRef } from './irsaServiceRef';
export type { IrsaService } from './irsaServiceRef';
export { sdkGatewayFactory } from './sdkGatewayFactory';
export { RoleService } from './RoleService';
export type { RolePlan, RoleRequest } from './RoleService';
export { guardrailProblems } from './guardrails';
export type { GuardedRequest } from './guardrails';
export {
  ENTITY_REF_ANNOTATION,
  ServiceAccountService,
} from './ServiceAccountService';
export type {
  KubernetesGatewayFactory,
  ServiceAccountPlan,
  ServiceAccountRequest,
} from './ServiceAccountService';
export { OverviewService } from './OverviewService';
export type { OverviewQuery } from './OverviewService';
export { StatusService } from './StatusService';
export type { StatusEntity } from './StatusService';
export {
  PROPAGATION_WINDOW_MS,
  type VerifyClock,
  VerifyService,
} from './VerifyService';
export { BindingPlanner } from './BindingPlanner';
export type { BindingPlan, BindingRequest } from './BindingPlanner';
export { assertRoleOwnedBy } from './roleOwnership';
