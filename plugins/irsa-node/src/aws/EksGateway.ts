import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { mapAwsError } from './mapAwsError';

/** What the product reads of an EKS cluster. */
export interface EksClusterRecord {
  name: string;
  arn?: string;
  oidcIssuer?: string;
}

/** The EKS operations the product performs. */
export interface EksGateway {
  describeCluster(name: string): Promise<EksClusterRecord>;
}

/** EksGateway over the AWS SDK v3 EKS client. */
export class SdkEksGateway implements EksGateway {
  constructor(private readonly client: EKSClient) {}

  async describeCluster(name: string) {
    try {
      const out = await this.client.send(new DescribeClusterCommand({ name }));
      return {
        name,
        arn: out.cluster?.arn,
        oidcIssuer: out.cluster?.identity?.oidc?.issuer,
      };
    } catch (e) {
      throw mapAwsError(e, `describe the EKS cluster "${name}"`);
    }
  }
}
