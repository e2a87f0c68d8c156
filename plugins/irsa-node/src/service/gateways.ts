import type { EksGateway, IamGateway } from '../aws';

/** Gateways for one account and region; built per call so credentials stay fresh. */
export interface AwsGatewayFactory {
  iam(accountId: string, region: string): Promise<IamGateway>;
  eks(accountId: string, region: string): Promise<EksGateway>;
}
