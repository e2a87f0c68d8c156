export { AwsClientFactory } from './AwsClientFactory';
export type { EksClusterRecord, EksGateway } from './EksGateway';
export { SdkEksGateway } from './EksGateway';
export type { IamGateway, OidcProviderRecord } from './IamGateway';
export { SdkIamGateway } from './IamGateway';
export { isAwsNotFound, mapAwsError } from './mapAwsError';
