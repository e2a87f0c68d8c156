import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import type { Config } from '@backstage/config';
import type { AwsCallLimits } from '../config/types';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';

const USER_AGENT = 'backstage-irsa';

/** Credentials are asked for again this long before they expire. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * `provider`, remembering what it gave until {@link REFRESH_BEFORE_EXPIRY_MS} before its
 * expiry; one request at a time. Written here because the SDK's memoize lives in
 * @smithy/core's internal submodules, not a public entry point.
 */
export function remembered(
  provider: AwsCredentialIdentityProvider,
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  const fresh = async (c: Promise<AwsCredentialIdentity>) => {
    const { expiration } = await c;
    return (
      !expiration ||
      expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS
    );
  };
  return async props => {
    if (current && (await fresh(current).catch(() => false))) return current;
    const next = provider(props);
    current = next;
    next.catch(() => {
      if (current === next) current = undefined;
    });
    return next;
  };
}

/** The SDK's defaults wait forever for a peer that accepts and never answers. */
export const DEFAULT_AWS_CALL_LIMITS: AwsCallLimits = {
  connectTimeoutMs: 3000,
  requestTimeoutMs: 10_000,
  maxAttempts: 3,
  maxConcurrency: 10,
};

/** AWS SDK v3 client options that bound each call and retry transient failures. */
export function awsCallOptions(limits: AwsCallLimits) {
  return {
    retryMode: 'adaptive',
    maxAttempts: limits.maxAttempts,
    requestHandler: {
      connectionTimeout: limits.connectTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without it, @smithy/node-http-handler only logs a warning and keeps waiting.
      throwOnRequestTimeout: true,
    },
  };
}

/**
 * Builds AWS SDK clients for an account with credentials from
 * `@backstage/integration-aws-node` only (the `aws.*` config). The SDK's own retry
 * strategy handles throttling; endpoints follow the SDK's standard resolution, so the
 * sandbox can point everything at moto with `AWS_ENDPOINT_URL`.
 */
export class AwsClientFactory {
  static fromConfig(config: Config, limits?: AwsCallLimits): AwsClientFactory {
    return new AwsClientFactory(
      DefaultAwsCredentialsManager.fromConfig(config),
      limits,
    );
  }

  constructor(
    private readonly credentials: AwsCredentialsManager,
    private readonly limits: AwsCallLimits = DEFAULT_AWS_CALL_LIMITS,
  ) {}

  /**
   * One client per service, account and region, reused: its connections stay open
   * (keep-alive) and its credentials are asked for once, not per call.
   */
  private readonly clients = new Map<string, Promise<IAMClient | EKSClient>>();

  iam(accountId: string, region: string): Promise<IAMClient> {
    return this.reused(
      `iam:${accountId}:${region}`,
      async () => new IAMClient(await this.clientConfig(accountId, region)),
    );
  }

  eks(accountId: string, region: string): Promise<EKSClient> {
    return this.reused(
      `eks:${accountId}:${region}`,
      async () => new EKSClient(await this.clientConfig(accountId, region)),
    );
  }

  private reused<T extends IAMClient | EKSClient>(
    key: string,
    make: () => Promise<T>,
  ): Promise<T> {
    let found = this.clients.get(key);
    if (!found) {
      found = make();
      // A client that could not be made (no credentials for the account) is not kept.
      found.catch(() => this.clients.delete(key));
      this.clients.set(key, found);
    }
    return found as Promise<T>;
  }

  /**
   * One credential provider per account, reused and remembering its credentials until
   * shortly before they expire: integration-aws-node's provider assumes the role each time
   * it is called (the SDK memoizes per client, and clients here are made per call), so
   * without this every AWS call would start with an sts:AssumeRole.
   */
  private readonly providers = new Map<
    string,
    Promise<AwsCredentialIdentityProvider>
  >();

  private provider(accountId: string) {
    let found = this.providers.get(accountId);
    if (!found) {
      found = this.credentials
        .getCredentialProvider({ accountId })
        .then(p => remembered(p.sdkCredentialProvider));
      // A failed lookup (unknown account, bad config) is not kept: the next call asks again.
      found.catch(() => this.providers.delete(accountId));
      this.providers.set(accountId, found);
    }
    return found;
  }

  private async clientConfig(accountId: string, region: string) {
    return {
      region,
      credentials: await this.provider(accountId),
      customUserAgent: USER_AGENT,
      ...awsCallOptions(this.limits),
    };
  }
}
