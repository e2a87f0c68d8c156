/*
 * Copyright 2026 The backstage-irsa Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { sandboxEnv } from './sandboxEnv';

/** @public */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** @public */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** Dummy keys of the Backstage "main" account (moto's default account). */
function mainCredentials(): AwsCredentials {
  const env = sandboxEnv();
  return {
    accessKeyId: env.awsAccessKeyId,
    secretAccessKey: env.awsSecretAccessKey,
  };
}

/**
 * Credentials that act in `accountId` the way the product does: the main account's keys call
 * sts:AssumeRole on that account's backstage-irsa-manager role. moto maps the temporary keys it
 * mints to the role's account. For the main account itself, its own keys.
 *
 * @public
 */
export function credentialsFor(accountId: string): AwsCredentialsProvider {
  const env = sandboxEnv();
  if (accountId === env.backstageAccountId) {
    return async () => mainCredentials();
  }
  let cached: AwsCredentials | undefined;
  return async () => {
    const fresh =
      cached?.expiration &&
      cached.expiration.getTime() - Date.now() > 5 * 60_000;
    if (cached && fresh) return cached;
    const sts = new STSClient(awsClientConfig(async () => mainCredentials()));
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/${env.managerRoleName}`,
        RoleSessionName: 'sandbox-test-utils',
      }),
    );
    const c = out.Credentials!;
    cached = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    return cached;
  };
}

/**
 * Client options for any AWS SDK v3 client against moto. Without `credentials` the client
 * signs nothing it need not sign: STS AssumeRoleWithWebIdentity is an unsigned call.
 *
 * @public
 */
export function awsClientConfig(credentials?: AwsCredentialsProvider) {
  const env = sandboxEnv();
  return {
    region: env.region,
    endpoint: env.awsEndpoint,
    maxAttempts: 2,
    ...(credentials ? { credentials } : {}),
  };
}

/** IAM client acting in `accountId` through its backstage-irsa-manager role. @public */
export function iamFor(accountId: string): IAMClient {
  return new IAMClient(awsClientConfig(credentialsFor(accountId)));
}

/** STS client acting in `accountId` through its backstage-irsa-manager role. @public */
export function stsFor(accountId: string): STSClient {
  return new STSClient(awsClientConfig(credentialsFor(accountId)));
}

/** EKS client acting in `accountId` through its backstage-irsa-manager role. @public */
export function eksFor(accountId: string): EKSClient {
  return new EKSClient(awsClientConfig(credentialsFor(accountId)));
}

/**
 * STS client with no credentials at all, as a pod calling AssumeRoleWithWebIdentity has.
 *
 * @public
 */
export function anonymousSts(): STSClient {
  // A provider that fails loudly if the SDK ever tried to sign with it.
  return new STSClient(
    awsClientConfig(async () => {
      throw new Error('anonymousSts() has no credentials; only unsigned calls');
    }),
  );
}

/** STS client using explicit (e.g. web-identity) credentials. @public */
export function stsWith(credentials: AwsCredentials): STSClient {
  return new STSClient(awsClientConfig(async () => credentials));
}

/** The `x-moto-account-id` header's value rides along with each request. */
type MiddlewareClient = {
  middlewareStack: {
    add: (mw: any, opts: { step: 'build'; name: string }) => void;
  };
};

/**
 * Makes `client` act in `accountId` through moto's `x-moto-account-id` header, whatever its
 * credentials (moto server mode only; real AWS ignores the header). For seeding-like setup where
 * going through the manager role is beside the point.
 *
 * @public
 */
export function useMotoAccount<T extends MiddlewareClient>(
  client: T,
  accountId: string,
): T {
  client.middlewareStack.add(
    (next: any) => async (args: any) => {
      args.request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'irsaSandboxMotoAccount' },
  );
  return client;
}
