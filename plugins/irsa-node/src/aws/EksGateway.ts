import {
  DescribeClusterCommand,
  EKSClient,
  paginateListPodIdentityAssociations,
} from '@aws-sdk/client-eks';
import type { PodIdentityAssociationSummary } from '@backstage-irsa/plugin-irsa-common';
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
  /** The EKS Pod Identity associations of one ServiceAccount. */
  listPodIdentityAssociations(
    clusterName: string,
    namespace: string,
    serviceAccount: string,
  ): Promise<PodIdentityAssociationSummary[]>;
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

  async listPodIdentityAssociations(
    clusterName: string,
    namespace: string,
    serviceAccount: string,
  ) {
    try {
      const found: PodIdentityAssociationSummary[] = [];
      for await (const page of paginateListPodIdentityAssociations(
        { client: this.client },
        { clusterName, namespace, serviceAccount },
      )) {
        for (const a of page.associations ?? []) {
          found.push({
            associationId: a.associationId ?? '',
            ...(a.associationArn ? { associationArn: a.associationArn } : {}),
          });
        }
      }
      return found;
    } catch (e) {
      throw mapAwsError(
        e,
        `list the EKS Pod Identity associations of ${namespace}/${serviceAccount} on cluster "${clusterName}"`,
      );
    }
  }
}
