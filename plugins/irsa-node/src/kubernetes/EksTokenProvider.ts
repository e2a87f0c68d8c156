import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Config } from '@backstage/config';
import {
  type AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import {
  awsCallOptions,
  DEFAULT_AWS_CALL_LIMITS,
  remembered,
} from '../aws/AwsClientFactory';
import { mapAwsError } from '../aws/mapAwsError';
import type { AwsCallLimits, AwsIamAuth } from '../config/types';
import { type EksToken, presignEksToken } from './eksToken';

/**
 * A token is not handed out in its last 15 s: the API server still passes it to its
 * authenticator, which passes it to STS, and clocks differ a little.
 */
export const EKS_TOKEN_REFRESH_BEFORE_EXPIRY_MS = 15_000;

// integration-aws-node's words when no `aws.accounts` entry matches an ARN's account.
const NO_INTEGRATION = 'There is no AWS integration that matches';

/**
 * EKS tokens for `authProvider: aws` clusters, with AWS credentials from
 * `@backstage/integration-aws-node`, as the rest of the product gets them.
 *
 * Same behaviour as the Kubernetes backend's AwsIamStrategy (@backstage/plugin-kubernetes-
 * backend), so a cluster entry means the same to both plugins: with
 * `kubernetes.io/aws-assume-role`, the credentials of that role's account if `aws.accounts`
 * configures it, else the main account's, assume the role (with
 * `kubernetes.io/aws-external-id`) through fromTemporaryCredentials; without it, the main
 * account's credentials sign. The token is for `kubernetes.io/x-k8s-aws-id` (else the EKS
 * cluster's name).
 *
 * Not AwsIamStrategy itself, although it is exported and takes only the config: it presigns
 * with `expiresIn: 0` (X-Amz-Expires=0, a request expired when made: a verifier that honours
 * it, like the sandbox's signature-checking STS, refuses it; aws-iam-authenticator's own
 * client presigns 60 s); it signs for `process.env.AWS_REGION`, not the cluster's region; it
 * mints a token, and with a role an AssumeRole, on every call and returns no expiry to cache
 * by; and importing it brings the whole Kubernetes backend plugin (Azure and Google Cloud
 * clients, its proxy, catalog and permission clients) into this library. The annotation
 * names are reused from @backstage/plugin-kubernetes-common (resolveClusterRef).
 *
 * Each token is reused until {@link EKS_TOKEN_REFRESH_BEFORE_EXPIRY_MS} before its expiry;
 * one mint at a time per cluster. Tokens are bearer credentials: never logged, never put in
 * an error or a response.
 */
export class EksTokenProvider {
  static fromConfig(config: Config, limits?: AwsCallLimits): EksTokenProvider {
    return new EksTokenProvider(
      DefaultAwsCredentialsManager.fromConfig(config),
      limits,
    );
  }

  private readonly tokens = new Map<string, Promise<EksToken>>();
  private readonly identities = new Map<
    string,
    Promise<AwsCredentialIdentityProvider>
  >();

  constructor(
    private readonly credentials: AwsCredentialsManager,
    private readonly limits: AwsCallLimits = DEFAULT_AWS_CALL_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly assumeRole: typeof fromTemporaryCredentials = fromTemporaryCredentials,
  ) {}

  /** A bearer token for the cluster; throws a `@backstage/errors` error without one. */
  async token(auth: AwsIamAuth): Promise<string> {
    const key = JSON.stringify([
      auth.clusterId,
      auth.region,
      auth.assumeRole,
      auth.externalId,
    ]);
    const held = this.tokens.get(key);
    if (held) {
      const t = await held.catch(() => undefined);
      if (t && t.expiresAt - this.now() > EKS_TOKEN_REFRESH_BEFORE_EXPIRY_MS) {
        return t.token;
      }
      // Stale or failed: the first caller here mints; the others take its token.
      const now = this.tokens.get(key);
      if (now && now !== held) return this.token(auth);
    }
    const next = this.mint(auth);
    this.tokens.set(key, next);
    next.catch(() => {
      if (this.tokens.get(key) === next) this.tokens.delete(key);
    });
    return (await next).token;
  }

  private async mint(auth: AwsIamAuth): Promise<EksToken> {
    try {
      return await presignEksToken({
        credentials: await (await this.identity(auth))(),
        region: auth.region,
        clusterId: auth.clusterId,
        signingDate: new Date(this.now()),
      });
    } catch (e) {
      throw mapAwsError(
        e,
        `get an EKS token for cluster "${auth.clusterId}"${
          auth.assumeRole ? ` as ${auth.assumeRole}` : ''
        }`,
      );
    }
  }

  /** One credential provider per role (or the main account), remembering what it gave. */
  private identity(auth: AwsIamAuth): Promise<AwsCredentialIdentityProvider> {
    const key = JSON.stringify([auth.assumeRole, auth.externalId, auth.region]);
    let found = this.identities.get(key);
    if (!found) {
      found = this.sourceCredentials(auth.assumeRole).then(master =>
        remembered(
          auth.assumeRole
            ? this.assumeRole({
                masterCredentials: master,
                clientConfig: {
                  region: auth.region,
                  ...awsCallOptions(this.limits),
                },
                params: {
                  RoleArn: auth.assumeRole,
                  ...(auth.externalId ? { ExternalId: auth.externalId } : {}),
                },
              })
            : master,
        ),
      );
      // A failed lookup (bad config) is not kept: the next call asks again.
      found.catch(() => this.identities.delete(key));
      this.identities.set(key, found);
    }
    return found;
  }

  /** As AwsIamStrategy: the role's account's credentials if configured, else the main's. */
  private async sourceCredentials(
    assumeRole: string | undefined,
  ): Promise<AwsCredentialIdentityProvider> {
    if (assumeRole) {
      try {
        return (
          await this.credentials.getCredentialProvider({ arn: assumeRole })
        ).sdkCredentialProvider;
      } catch (e) {
        if (!(e instanceof Error) || !e.message.includes(NO_INTEGRATION)) {
          throw e;
        }
      }
    }
    return (await this.credentials.getCredentialProvider())
      .sdkCredentialProvider;
  }
}
