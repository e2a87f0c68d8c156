import type { JsonValue } from '@backstage/types';
import { NotFoundError } from '@backstage/errors';
import type { PodIdentityAssociationSummary } from '@backstage-irsa/plugin-irsa-common';
import type {
  CreateRoleInput,
  EksGateway,
  IamGateway,
  OidcProviderRecord,
  RoleRecord,
  RoleSummary,
} from '../aws';
import type { AwsGatewayFactory } from '../service/gateways';
import type { Freshness, ReadCache } from './ReadCache';

const json = <T>(v: T) => v as unknown as JsonValue;

/**
 * IAM reads of one account through the ReadCache; every write clears what it changed
 * (and every cached status), so the card is right as soon as the template has run.
 * `fresh` reads skip the cache and store what they read: the write path (actions,
 * planner) and the card's Refresh use them, so no decision is made on a cached answer.
 */
class CachingIamGateway implements IamGateway {
  constructor(
    private readonly inner: IamGateway,
    private readonly cache: ReadCache,
    private readonly accountId: string,
    private readonly fresh: Freshness,
  ) {}

  private roleKey(name: string) {
    return `iam-role:${this.accountId}:${name}`;
  }

  private static providerKey(arn: string) {
    return `iam-oidc-provider:${arn}`;
  }

  async getRole(name: string) {
    return (await this.cache.read(
      this.roleKey(name),
      async () => json(await this.inner.getRole(name)),
      this.fresh,
    )) as RoleRecord | undefined;
  }

  private rolesKey() {
    return `iam-roles:${this.accountId}`;
  }

  async listRoles(pathPrefix: string) {
    // One listing per account (the product lists one path, irsa.guardrails.rolePath), kept
    // with the path it was made for; any role write of the product clears it.
    const read = (fresh: Freshness) =>
      this.cache.read(
        this.rolesKey(),
        async () =>
          json({ pathPrefix, roles: await this.inner.listRoles(pathPrefix) }),
        fresh,
      ) as Promise<{ pathPrefix: string; roles: RoleSummary[] } | undefined>;
    let found = await read(this.fresh);
    if (found?.pathPrefix !== pathPrefix) found = await read(true);
    return found?.roles ?? [];
  }

  async getOidcProvider(arn: string) {
    return (await this.cache.read(
      CachingIamGateway.providerKey(arn),
      async () => json(await this.inner.getOidcProvider(arn)),
      this.fresh,
    )) as OidcProviderRecord | undefined;
  }

  listAttachedPolicyArns(roleName: string) {
    // Read only on the write path, which never reads from the cache.
    return this.inner.listAttachedPolicyArns(roleName);
  }

  getRolePolicy(roleName: string, policyName: string) {
    // Read only on the write path (plans), which never reads from the cache.
    return this.inner.getRolePolicy(roleName, policyName);
  }

  listRolePolicyNames(roleName: string) {
    // Read only on the write path (retirement plans), which never reads from the cache.
    return this.inner.listRolePolicyNames(roleName);
  }

  detachPolicy(roleName: string, policyArn: string) {
    return this.afterRoleWrite(
      roleName,
      this.inner.detachPolicy(roleName, policyArn),
    );
  }

  deleteRolePolicy(roleName: string, policyName: string) {
    return this.afterRoleWrite(
      roleName,
      this.inner.deleteRolePolicy(roleName, policyName),
    );
  }

  deleteRole(roleName: string) {
    // The card must not keep showing a role that is gone.
    return this.afterRoleWrite(roleName, this.inner.deleteRole(roleName));
  }

  putRolePolicy(roleName: string, policyName: string, documentJson: string) {
    return this.afterRoleWrite(
      roleName,
      this.inner.putRolePolicy(roleName, policyName, documentJson),
    );
  }

  putRolePermissionsBoundary(roleName: string, boundaryArn: string) {
    // The cached role record carries the boundary (the card reads it).
    return this.afterRoleWrite(
      roleName,
      this.inner.putRolePermissionsBoundary(roleName, boundaryArn),
    );
  }

  private async afterRoleWrite<T>(name: string, write: Promise<T>) {
    try {
      return await write;
    } finally {
      // Also after a failed write: it may have been applied before the error. The
      // account's role listing goes too (a role created or deleted changes it).
      await this.cache.forget(this.roleKey(name), this.rolesKey());
    }
  }

  createRole(input: CreateRoleInput) {
    return this.afterRoleWrite(input.name, this.inner.createRole(input));
  }

  updateTrustPolicy(roleName: string, trustPolicyJson: string) {
    return this.afterRoleWrite(
      roleName,
      this.inner.updateTrustPolicy(roleName, trustPolicyJson),
    );
  }

  tagRole(roleName: string, tags: Record<string, string>) {
    return this.afterRoleWrite(roleName, this.inner.tagRole(roleName, tags));
  }

  attachPolicy(roleName: string, policyArn: string) {
    return this.afterRoleWrite(
      roleName,
      this.inner.attachPolicy(roleName, policyArn),
    );
  }

  async createOidcProvider(input: {
    url: string;
    clientIds: string[];
    tags: Record<string, string>;
  }) {
    const arn = await this.inner.createOidcProvider(input);
    await this.cache.forget(CachingIamGateway.providerKey(arn));
    return arn;
  }

  async addOidcProviderClientId(arn: string, clientId: string) {
    try {
      await this.inner.addOidcProviderClientId(arn, clientId);
    } finally {
      await this.cache.forget(CachingIamGateway.providerKey(arn));
    }
  }
}

/** EKS reads of one account and region through the ReadCache (the product writes none). */
class CachingEksGateway implements EksGateway {
  constructor(
    private readonly inner: EksGateway,
    private readonly cache: ReadCache,
    private readonly scope: string,
    private readonly fresh: Freshness,
  ) {}

  async describeCluster(name: string) {
    const found = await this.cache.read(
      `eks-cluster:${this.scope}:${name}`,
      async () => json(await this.inner.describeCluster(name)),
      this.fresh,
    );
    return found as unknown as Awaited<
      ReturnType<EksGateway['describeCluster']>
    >;
  }

  async listPodIdentityAssociations(
    clusterName: string,
    namespace: string,
    serviceAccount: string,
  ) {
    // "Not found" is an answer too (a peer without the API, or no such cluster): kept as
    // such and thrown again, so it costs one call per TTL like any other answer.
    const found = (await this.cache.read(
      `eks-pod-identity:${this.scope}:${clusterName}:${namespace}:${serviceAccount}`,
      async () => {
        try {
          return json({
            associations: await this.inner.listPodIdentityAssociations(
              clusterName,
              namespace,
              serviceAccount,
            ),
          });
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e;
          return json({ notFound: e.message });
        }
      },
      this.fresh,
    )) as unknown as
      | { associations: PodIdentityAssociationSummary[] }
      | { notFound: string };
    if ('notFound' in found) throw new NotFoundError(found.notFound);
    return found.associations;
  }
}

/**
 * `inner`'s gateways with their reads cached. `fresh`: `true` reads through, never from
 * the cache (the write path); a time reads only what was read since (one Refresh).
 */
export function cachingGatewayFactory(
  inner: AwsGatewayFactory,
  cache: ReadCache,
  fresh: Freshness,
): AwsGatewayFactory {
  return {
    iam: async (accountId, region) =>
      new CachingIamGateway(
        await inner.iam(accountId, region),
        cache,
        accountId,
        fresh,
      ),
    eks: async (accountId, region) =>
      new CachingEksGateway(
        await inner.eks(accountId, region),
        cache,
        `${accountId}:${region}`,
        fresh,
      ),
  };
}
