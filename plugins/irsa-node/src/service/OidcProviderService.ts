import {
  accountIdProblems,
  MANAGED_BY_VALUE,
  OIDC_PROVIDER_CLUSTER_TAG,
  ROLE_MANAGED_BY_TAG,
  STS_AUDIENCE,
} from '@backstage-irsa/plugin-irsa-common';
import { ConflictError, InputError, isError } from '@backstage/errors';
import type { ClusterRegistry } from '../config';
import type { AwsGatewayFactory } from './gateways';
import { assertRoleAccount } from '../access/bindingPolicy';
import { resolveClusterProvider } from './issuerResolver';

/**
 * Tag naming the cluster a provider was created for, for people reading IAM. Defined in
 * irsa-common so the manager IAM policy (`buildManagerPolicy`) allows exactly this key.
 */
export const PROVIDER_CLUSTER_TAG = OIDC_PROVIDER_CLUSTER_TAG;

/**
 * What `ensure` would do for a cluster's IAM OIDC provider, found with reads only.
 * `missing`: create it. `missing-audience`: ours, but `sts.amazonaws.com` is not an
 * audience; add it. `ready`: nothing to change.
 */
export interface OidcProviderPlan {
  cluster: string;
  accountId: string;
  region: string;
  issuerUrl: string;
  providerArn: string;
  state: 'missing' | 'missing-audience' | 'ready';
}

/**
 * The result of applying a plan. A type alias (not an interface) so it is a JSON value
 * the scaffolder can store in a checkpoint and replay.
 */
export type OidcProviderResult = {
  providerArn: string;
  issuerUrl: string;
  created: boolean;
  audienceAdded: boolean;
};

/**
 * Registers a cluster's ServiceAccount issuer as an IAM OIDC identity provider in the
 * cluster's account: step one of IRSA. Split into a read-only `plan` and the writes so
 * callers (the scaffolder action) can dry-run, and checkpoint each write.
 */
export class OidcProviderService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly gateways: AwsGatewayFactory,
  ) {}

  /**
   * `accountId` defaults to the cluster's account; give the account of a role in another
   * account (cross-account IRSA needs the provider where the role lives).
   */
  async plan(
    clusterName: string,
    accountId?: string,
  ): Promise<OidcProviderPlan> {
    if (accountId !== undefined) {
      const problems = accountIdProblems(accountId, 'accountId');
      if (problems.length > 0) throw new InputError(problems[0].message);
    }
    const cluster = this.registry.get(clusterName);
    const account = accountId ?? cluster.accountId;
    assertRoleAccount(this.registry, cluster, account);
    const { issuerUrl, providerArn } = await resolveClusterProvider(
      this.gateways,
      cluster,
      account,
    );
    const iam = await this.gateways.iam(account, cluster.region);
    const existing = await iam.getOidcProvider(providerArn);
    const base = {
      cluster: cluster.name,
      accountId: account,
      region: cluster.region,
      issuerUrl,
      providerArn,
    };
    if (!existing) return { ...base, state: 'missing' };
    if (existing.clientIds.includes(STS_AUDIENCE)) {
      return { ...base, state: 'ready' };
    }
    if (existing.tags[ROLE_MANAGED_BY_TAG] !== MANAGED_BY_VALUE) {
      // Not ours: adding an audience changes who can federate through it.
      throw new ConflictError(
        `The IAM OIDC provider ${providerArn} exists but does not accept audience ` +
          `"${STS_AUDIENCE}", and backstage-irsa did not create it, so it will not change it. ` +
          `Fix: add "${STS_AUDIENCE}" to its audiences (aws iam add-client-id-to-open-id-connect-provider), ` +
          'then run again. See docs/troubleshooting.md.',
      );
    }
    return { ...base, state: 'missing-audience' };
  }

  /** Creates the provider of a `missing` plan; a concurrent create counts as done. */
  async create(plan: OidcProviderPlan): Promise<OidcProviderResult> {
    const iam = await this.gateways.iam(plan.accountId, plan.region);
    try {
      const arn = await iam.createOidcProvider({
        url: plan.issuerUrl,
        clientIds: [STS_AUDIENCE],
        tags: {
          [ROLE_MANAGED_BY_TAG]: MANAGED_BY_VALUE,
          [PROVIDER_CLUSTER_TAG]: plan.cluster,
        },
      });
      return {
        providerArn: arn || plan.providerArn,
        issuerUrl: plan.issuerUrl,
        created: true,
        audienceAdded: false,
      };
    } catch (e) {
      if (isError(e) && e.name === 'ConflictError') {
        const again = await this.plan(plan.cluster, plan.accountId);
        if (again.state === 'ready') return this.unchanged(again);
      }
      throw e;
    }
  }

  /** Adds `sts.amazonaws.com` to a provider this product owns. */
  async addAudience(plan: OidcProviderPlan): Promise<OidcProviderResult> {
    const iam = await this.gateways.iam(plan.accountId, plan.region);
    await iam.addOidcProviderClientId(plan.providerArn, STS_AUDIENCE);
    return {
      providerArn: plan.providerArn,
      issuerUrl: plan.issuerUrl,
      created: false,
      audienceAdded: true,
    };
  }

  unchanged(plan: OidcProviderPlan): OidcProviderResult {
    return {
      providerArn: plan.providerArn,
      issuerUrl: plan.issuerUrl,
      created: false,
      audienceAdded: false,
    };
  }
}
