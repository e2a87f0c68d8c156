export {
  AwsClientFactory,
  awsCallOptions,
  DEFAULT_AWS_CALL_LIMITS,
} from './AwsClientFactory';
export type { EksClusterRecord, EksGateway } from './EksGateway';
export { SdkEksGateway } from './EksGateway';
export type {
  CreateRoleInput,
  IamGateway,
  OidcProviderRecord,
  RoleRecord,
  RoleSummary,
} from './IamGateway';
export { SdkIamGateway } from './IamGateway';
export { isAwsNotFound, mapAwsError } from './mapAwsError';
export type { StsGateway, WebIdentityOutcome } from './StsGateway';
export { SdkStsGateway } from './StsGateway';
