import {
  AddClientIDToOpenIDConnectProviderCommand,
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRoles,
  paginateListRolePolicies,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { isAwsNotFound, mapAwsError } from './mapAwsError';

/** An IAM OIDC identity provider as the product needs to see it. */
export interface OidcProviderRecord {
  arn: string;
  /** As IAM stores it: host and path, no scheme. */
  url: string;
  clientIds: string[];
  tags: Record<string, string>;
  /** SHA-1 thumbprints (hex) of the issuer's top certificate IAM accepts (F7). */
  thumbprints?: string[];
}

/** An IAM role as the product needs to see it. */
export interface RoleRecord {
  arn: string;
  name: string;
  path: string;
  /** The trust policy, parsed (IAM returns it URL-encoded). */
  trustPolicy: unknown;
  tags: Record<string, string>;
  permissionsBoundaryArn?: string;
  /** When IAM created the role, ISO 8601 (F16: a new role may not have reached STS yet). */
  createDate?: string;
}

/** A role as IAM's ListRoles gives it: no tags, no boundary (GetRole has those). */
export interface RoleSummary {
  arn: string;
  name: string;
  path: string;
}

/** What CreateRole needs from the product. */
export interface CreateRoleInput {
  name: string;
  path: string;
  trustPolicyJson: string;
  description: string;
  tags: Record<string, string>;
  permissionsBoundaryArn?: string;
  maxSessionDurationSeconds: number;
}

function tagList(tags: Record<string, string>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function tagMap(tags: Array<{ Key?: string; Value?: string }> | undefined) {
  return Object.fromEntries(
    (tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']),
  );
}

/**
 * The IAM operations the product performs, and nothing else; every SDK error leaves
 * here as a `@backstage/errors` error.
 */
export interface IamGateway {
  getRole(name: string): Promise<RoleRecord | undefined>;
  /** Every role whose path starts with `pathPrefix`, all pages (ListRoles). */
  listRoles(pathPrefix: string): Promise<RoleSummary[]>;
  createRole(input: CreateRoleInput): Promise<RoleRecord>;
  updateTrustPolicy(roleName: string, trustPolicyJson: string): Promise<void>;
  tagRole(roleName: string, tags: Record<string, string>): Promise<void>;
  listAttachedPolicyArns(roleName: string): Promise<string[]>;
  attachPolicy(roleName: string, policyArn: string): Promise<void>;
  /** The inline policy `policyName` of the role, parsed; undefined when it has none. */
  getRolePolicy(roleName: string, policyName: string): Promise<unknown>;
  /** Creates or replaces the inline policy `policyName` of the role. */
  putRolePolicy(
    roleName: string,
    policyName: string,
    documentJson: string,
  ): Promise<void>;
  /** The names of the role's inline policies. */
  listRolePolicyNames(roleName: string): Promise<string[]>;
  /**
   * Detaches a managed policy from the role; one already detached (or a role already
   * deleted) is not an error, so a retried retirement carries on.
   */
  detachPolicy(roleName: string, policyArn: string): Promise<void>;
  /** Deletes one inline policy of the role; one already gone is not an error. */
  deleteRolePolicy(roleName: string, policyName: string): Promise<void>;
  /**
   * Deletes the role (IAM refuses while policies are attached or inline: ConflictError);
   * a role already gone is not an error.
   */
  deleteRole(roleName: string): Promise<void>;
  /** Sets (or replaces) the role's permissions boundary. */
  putRolePermissionsBoundary(
    roleName: string,
    boundaryArn: string,
  ): Promise<void>;
  getOidcProvider(arn: string): Promise<OidcProviderRecord | undefined>;
  createOidcProvider(input: {
    url: string;
    clientIds: string[];
    tags: Record<string, string>;
  }): Promise<string>;
  addOidcProviderClientId(arn: string, clientId: string): Promise<void>;
}

/** IamGateway over the AWS SDK v3 IAM client. */
export class SdkIamGateway implements IamGateway {
  constructor(private readonly client: IAMClient) {}

  async getRole(name: string) {
    try {
      const { Role: role } = await this.client.send(
        new GetRoleCommand({ RoleName: name }),
      );
      if (!role) return undefined;
      return {
        arn: role.Arn ?? '',
        name: role.RoleName ?? name,
        path: role.Path ?? '/',
        trustPolicy: JSON.parse(
          decodeURIComponent(role.AssumeRolePolicyDocument ?? '{}'),
        ),
        tags: tagMap(role.Tags),
        permissionsBoundaryArn:
          role.PermissionsBoundary?.PermissionsBoundaryArn,
        ...(role.CreateDate
          ? { createDate: new Date(role.CreateDate).toISOString() }
          : {}),
      };
    } catch (e) {
      if (isAwsNotFound(e)) return undefined;
      throw mapAwsError(e, `read the IAM role ${name}`);
    }
  }

  async listRoles(pathPrefix: string) {
    try {
      const roles: RoleSummary[] = [];
      // 1,000 a page, IAM's most: an account of a few thousand roles is a few calls.
      for await (const page of paginateListRoles(
        { client: this.client, pageSize: 1000 },
        { PathPrefix: pathPrefix },
      )) {
        for (const r of page.Roles ?? []) {
          if (!r.RoleName || !r.Arn) continue;
          roles.push({ arn: r.Arn, name: r.RoleName, path: r.Path ?? '/' });
        }
      }
      return roles;
    } catch (e) {
      throw mapAwsError(e, `list the IAM roles under ${pathPrefix}`);
    }
  }

  async createRole(input: CreateRoleInput) {
    try {
      const { Role: role } = await this.client.send(
        new CreateRoleCommand({
          RoleName: input.name,
          Path: input.path,
          AssumeRolePolicyDocument: input.trustPolicyJson,
          Description: input.description,
          Tags: tagList(input.tags),
          PermissionsBoundary: input.permissionsBoundaryArn,
          MaxSessionDuration: input.maxSessionDurationSeconds,
        }),
      );
      return {
        arn: role?.Arn ?? '',
        name: input.name,
        path: input.path,
        trustPolicy: JSON.parse(input.trustPolicyJson),
        tags: input.tags,
        permissionsBoundaryArn: input.permissionsBoundaryArn,
      };
    } catch (e) {
      throw mapAwsError(e, `create the IAM role ${input.name}`);
    }
  }

  async updateTrustPolicy(roleName: string, trustPolicyJson: string) {
    try {
      await this.client.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: roleName,
          PolicyDocument: trustPolicyJson,
        }),
      );
    } catch (e) {
      throw mapAwsError(e, `update the trust policy of IAM role ${roleName}`);
    }
  }

  async tagRole(roleName: string, tags: Record<string, string>) {
    try {
      await this.client.send(
        new TagRoleCommand({ RoleName: roleName, Tags: tagList(tags) }),
      );
    } catch (e) {
      throw mapAwsError(e, `tag IAM role ${roleName}`);
    }
  }

  async listAttachedPolicyArns(roleName: string) {
    try {
      const arns: string[] = [];
      for await (const page of paginateListAttachedRolePolicies(
        { client: this.client },
        { RoleName: roleName },
      )) {
        for (const p of page.AttachedPolicies ?? []) {
          if (p.PolicyArn) arns.push(p.PolicyArn);
        }
      }
      return arns;
    } catch (e) {
      throw mapAwsError(e, `list the policies of IAM role ${roleName}`);
    }
  }

  async attachPolicy(roleName: string, policyArn: string) {
    try {
      await this.client.send(
        new AttachRolePolicyCommand({
          RoleName: roleName,
          PolicyArn: policyArn,
        }),
      );
    } catch (e) {
      throw mapAwsError(e, `attach ${policyArn} to IAM role ${roleName}`);
    }
  }

  async getRolePolicy(roleName: string, policyName: string) {
    try {
      const out = await this.client.send(
        new GetRolePolicyCommand({
          RoleName: roleName,
          PolicyName: policyName,
        }),
      );
      // IAM returns the document URL-encoded (RFC 3986), as it does trust policies.
      return out.PolicyDocument === undefined
        ? undefined
        : (JSON.parse(decodeURIComponent(out.PolicyDocument)) as unknown);
    } catch (e) {
      if (isAwsNotFound(e)) return undefined;
      throw mapAwsError(
        e,
        `read the inline policy ${policyName} of IAM role ${roleName}`,
      );
    }
  }

  async putRolePolicy(
    roleName: string,
    policyName: string,
    documentJson: string,
  ) {
    try {
      await this.client.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: policyName,
          PolicyDocument: documentJson,
        }),
      );
    } catch (e) {
      throw mapAwsError(
        e,
        `write the inline policy ${policyName} of IAM role ${roleName}`,
      );
    }
  }

  async listRolePolicyNames(roleName: string) {
    try {
      const names: string[] = [];
      for await (const page of paginateListRolePolicies(
        { client: this.client },
        { RoleName: roleName },
      )) {
        names.push(...(page.PolicyNames ?? []));
      }
      return names;
    } catch (e) {
      throw mapAwsError(e, `list the inline policies of IAM role ${roleName}`);
    }
  }

  async detachPolicy(roleName: string, policyArn: string) {
    try {
      await this.client.send(
        new DetachRolePolicyCommand({
          RoleName: roleName,
          PolicyArn: policyArn,
        }),
      );
    } catch (e) {
      if (isAwsNotFound(e)) return;
      throw mapAwsError(e, `detach ${policyArn} from IAM role ${roleName}`);
    }
  }

  async deleteRolePolicy(roleName: string, policyName: string) {
    try {
      await this.client.send(
        new DeleteRolePolicyCommand({
          RoleName: roleName,
          PolicyName: policyName,
        }),
      );
    } catch (e) {
      if (isAwsNotFound(e)) return;
      throw mapAwsError(
        e,
        `delete the inline policy ${policyName} of IAM role ${roleName}`,
      );
    }
  }

  async deleteRole(roleName: string) {
    try {
      await this.client.send(new DeleteRoleCommand({ RoleName: roleName }));
    } catch (e) {
      if (isAwsNotFound(e)) return;
      throw mapAwsError(e, `delete the IAM role ${roleName}`);
    }
  }

  async putRolePermissionsBoundary(roleName: string, boundaryArn: string) {
    try {
      await this.client.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: roleName,
          PermissionsBoundary: boundaryArn,
        }),
      );
    } catch (e) {
      throw mapAwsError(
        e,
        `set the permissions boundary ${boundaryArn} on IAM role ${roleName}`,
      );
    }
  }

  async getOidcProvider(arn: string) {
    try {
      const out = await this.client.send(
        new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }),
      );
      return {
        arn,
        url: out.Url ?? '',
        clientIds: out.ClientIDList ?? [],
        tags: tagMap(out.Tags),
        thumbprints: out.ThumbprintList ?? [],
      };
    } catch (e) {
      if (isAwsNotFound(e)) return undefined;
      throw mapAwsError(e, `read the IAM OIDC provider ${arn}`);
    }
  }

  async createOidcProvider(input: {
    url: string;
    clientIds: string[];
    tags: Record<string, string>;
  }) {
    try {
      // No ThumbprintList: IAM then trusts the issuer's certificate through its own
      // library of root CAs, which is what AWS recommends and what survives rotation.
      const out = await this.client.send(
        new CreateOpenIDConnectProviderCommand({
          Url: input.url,
          ClientIDList: input.clientIds,
          Tags: tagList(input.tags),
        }),
      );
      return out.OpenIDConnectProviderArn ?? '';
    } catch (e) {
      throw mapAwsError(e, `create the IAM OIDC provider for ${input.url}`);
    }
  }

  async addOidcProviderClientId(arn: string, clientId: string) {
    try {
      await this.client.send(
        new AddClientIDToOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: arn,
          ClientID: clientId,
        }),
      );
    } catch (e) {
      throw mapAwsError(e, `add audience ${clientId} to ${arn}`);
    }
  }
}
