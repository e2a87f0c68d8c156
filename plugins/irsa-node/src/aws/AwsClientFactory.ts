import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import type { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';

const USER_AGENT = 'backstage-irsa';

/**
 * Builds AWS SDK clients for an account with credentials from
 * `@backstage/integration-aws-node` only (the `aws.*` config). The SDK's own retry
 * strategy handles throttling; endpoints follow the SDK's standard resolution, so the
 * sandbox can point everything at moto with `AWS_ENDPOINT_URL`.
 */
export class AwsClientFactory {
  static fromConfig(config: Config): AwsClientFactory {
    return new AwsClientFactory(
      DefaultAwsCredentialsManager.fromConfig(config),
    );
  }

  constructor(private readonly credentials: AwsCredentialsManager) {}

  async iam(accountId: string, region: string): Promise<IAMClient> {
    return new IAMClient(await this.clientConfig(accountId, region));
  }

  async eks(accountId: string, region: string): Promise<EKSClient> {
    return new EKSClient(await this.clientConfig(accountId, region));
  }

  private async clientConfig(accountId: string, region: string) {
    const { sdkCredentialProvider } =
      await this.credentials.getCredentialProvider({ accountId });
    return {
      region,
      credentials: sdkCredentialProvider,
      customUserAgent: USER_AGENT,
      retryMode: 'adaptive',
    };
  }
}
