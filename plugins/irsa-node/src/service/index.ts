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
  afterAdoptionNote,
  ENTITY_REF_ANNOTATION,
  ServiceAccountService,
} from './ServiceAccountService';
export type {
  AdoptionPlan,
  KubernetesGatewayFactory,
  RoleOwnershipCheck,
  ServiceAccountPlan,
  ServiceAccountRequest,
} from './ServiceAccountService';
export {
  isServiceAccountOf,
  serviceAccountOwner,
} from './serviceAccountOwnership';
export type { ServiceAccountOwner } from './serviceAccountOwnership';
export { OverviewService } from './OverviewService';
export type {
  EntitiesFound,
  OrphansQuery,
  OverviewFilters,
  OverviewQuery,
} from './OverviewService';
export { StatusService } from './StatusService';
export type { StatusEntity } from './StatusService';
export {
  MAX_VERIFY_WAIT_SECONDS,
  PROPAGATION_WINDOW_MS,
  type VerifyClock,
  type VerifyOptions,
  VerifyService,
} from './VerifyService';
export { BindingPlanner } from './BindingPlanner';
export { ADOPTION_FIELDS, RetirementService } from './RetirementService';
export type {
  RetirementPlan,
  RetirementRequest,
  RoleRetirementPlan,
  ServiceAccountRetirementPlan,
} from './RetirementService';
export { FormService } from './FormService';
export type {
  FormCluster,
  FormNamespace,
  FormPolicies,
  FormPreset,
  FormPreviewRequest,
  RolePreview,
} from './FormService';
export type { BindingPlan, BindingRequest } from './BindingPlanner';
export { assertRoleOwnedBy } from './roleOwnership';
export { throwInputProblems } from './inputProblems';
