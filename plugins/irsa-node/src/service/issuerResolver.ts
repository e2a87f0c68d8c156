import {
  normalizeIssuer,
  oidcProviderArnForIssuer,
  partitionForRegion,
} from '@backstage-irsa/plugin-irsa-common';
import { InputError } from '@backstage/errors';
import type { IrsaClusterConfig } from '../config';
import type { AwsGatewayFactory } from './gateways';

/** A cluster's issuer and the IAM OIDC provider ARN it has (or needs) in an account. */
export interface ClusterProvider {
  /** The issuer exactly as configured or as EKS reports it (F9 compares spellings). */
  rawIssuer: string;
  issuerUrl: string;
  hostPath: string;
  providerArn: string;
}

/**
 * The cluster's issuer — from config, or what eks:DescribeCluster reports — and the
 * provider ARN for it in `accountId` (the cluster's account unless a role lives in
 * another one: cross-account IRSA needs the provider in the role's account).
 */
export async function resolveClusterProvider(
  gateways: AwsGatewayFactory,
  cluster: IrsaClusterConfig,
  accountId: string = cluster.accountId,
): Promise<ClusterProvider> {
  let raw = cluster.oidcIssuer;
  if (!raw) {
    const eks = await gateways.eks(cluster.accountId, cluster.region);
    const record = await eks.describeCluster(
      cluster.eksClusterName ?? cluster.name,
    );
    if (!record.oidcIssuer) {
      throw new InputError(
        `EKS cluster "${record.name}" in account ${cluster.accountId} reports no OIDC issuer; ` +
          'EKS clusters created before 2019-09 need a platform version update to get one.',
      );
    }
    raw = record.oidcIssuer;
  }
  const normalized = normalizeIssuer(raw);
  if (!normalized.ok) {
    throw new InputError(
      `Cluster "${
        cluster.name
      }" has an unusable OIDC issuer: ${normalized.problems
        .map(p => p.message)
        .join(' ')}`,
    );
  }
  return {
    rawIssuer: raw,
    issuerUrl: normalized.value.url,
    hostPath: normalized.value.hostPath,
    providerArn: oidcProviderArnForIssuer(
      normalized.value,
      partitionForRegion(cluster.region),
      accountId,
    ),
  };
}
