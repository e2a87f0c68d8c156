import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { isAwsNotFound, mapAwsError } from './mapAwsError';

/** An IAM OIDC identity provider as the product needs to see it. */
export interface OidcProviderRecord {
  arn: string;
  /** As IAM stores it: host and path, no scheme. */
  url: string;
  clientIds: string[];
  tags: Record<string, string>;
}

/**
 * The IAM operations the product performs, and nothing else; every SDK error leaves
 * here as a `@backstage/errors` error.
 */
export interface IamGateway {
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

  async getOidcProvider(arn: string) {
    try {
      const out = await this.client.send(
        new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }),
      );
      return {
        arn,
        url: out.Url ?? '',
        clientIds: out.ClientIDList ?? [],
        tags: Object.fromEntries(
          (out.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']),
        ),
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
          Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
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
