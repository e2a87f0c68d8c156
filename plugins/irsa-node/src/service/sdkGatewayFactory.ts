import type { AwsClientFactory } from '../aws';
import { SdkEksGateway, SdkIamGateway } from '../aws';
import type { AwsGatewayFactory } from './gateways';

/** The production gateways: AWS SDK v3 clients with integration-aws-node credentials. */
export function sdkGatewayFactory(
  clients: AwsClientFactory,
): AwsGatewayFactory {
  return {
    iam: async (accountId, region) =>
      new SdkIamGateway(await clients.iam(accountId, region)),
    eks: async (accountId, region) =>
      new SdkEksGateway(await clients.eks(accountId, region)),
  };
}
