import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { NotAllowedError } from '@backstage/errors';
import type { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import {
  EKS_TOKEN_REFRESH_BEFORE_EXPIRY_MS,
  EksTokenProvider,
} from './EksTokenProvider';
import { EKS_TOKEN_PREFIX } from './eksToken';

type Assume = typeof fromTemporaryCredentials;

/** The access key id and cluster id a token was signed with, as a verifier reads them. */
function signedBy(token: string) {
  const url = new URL(
    Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString(),
  );
  return {
    accessKeyId: url.searchParams.get('X-Amz-Credential')!.split('/')[0],
    region: url.searchParams.get('X-Amz-Credential')!.split('/')[2],
    sessionToken: url.searchParams.get('X-Amz-Security-Token'),
  };
}

/**
 * A credentials manager as integration-aws-node's: the main account's provider, and one
 * for each account configured under `aws.accounts`; any other ARN is refused with its
 * words. Counts the credentials each provider hands out.
 */
function manager(configuredAccounts: string[] = []) {
  const handedOut: string[] = [];
  const lookups: Array<string | undefined> = [];
  const provider = (who: string) => async () => {
    handedOut.push(who);
    return { accessKeyId: `AKIA${who.toUpperCase()}`, secretAccessKey: 's' };
  };
  const credentials: AwsCredentialsManager = {
    getCredentialProvider: async (opts = {}) => {
      lookups.push(opts.arn);
      if (!opts.arn) return { sdkCredentialProvider: provider('main') };
      const account = opts.arn.split(':')[4];
      if (!configuredAccounts.includes(account)) {
        throw new Error(
          `There is no AWS integration that matches ${account}. Please add a configuration for this AWS account.`,
        );
      }
      return { sdkCredentialProvider: provider(`acct${account}`) };
    },
  };
  return { credentials, handedOut, lookups };
}

/** fromTemporaryCredentials without STS: records each call, hands out session keys. */
function fakeAssume(fail?: Error) {
  const calls: Array<Parameters<Assume>[0]> = [];
  let assumed = 0;
  const assume = ((options: Parameters<Assume>[0]) => {
    calls.push(options);
    return async () => {
      if (fail) throw fail;
      assumed += 1;
      return {
        accessKeyId: `ASIAROLE${assumed}`,
        secretAccessKey: 's',
        sessionToken: `session-${assumed}`,
        expiration: new Date(Date.now() + 3600_000),
      };
    };
  }) as unknown as Assume;
  return { assume, calls, assumed: () => assumed };
}

const plain = { clusterId: 'prod', region: 'eu-west-1' };
const withRole = {
  ...plain,
  assumeRole: 'arn:aws:iam::111111111111:role/backstage-eks',
  externalId: 'ext-1',
};

describe('EksTokenProvider', () => {
  it('signs with the main account without a role, and reuses the token until shortly before it expires', async () => {
    const { credentials, handedOut, lookups } = manager();
    let now = Date.parse('2026-03-04T05:06:07Z');
    const tokens = new EksTokenProvider(credentials, undefined, () => now);
    const first = await tokens.token(plain);
    expect(signedBy(first)).toEqual({
      accessKeyId: 'AKIAMAIN',
      region: 'eu-west-1',
      sessionToken: null,
    });
    expect(lookups).toEqual([undefined]);
    // Reused while more than 15 s of its 60 s are left.
    now += 60_000 - EKS_TOKEN_REFRESH_BEFORE_EXPIRY_MS - 1000;
    expect(await tokens.token(plain)).toBe(first);
    expect(handedOut).toEqual(['main']);
    // Then a new one, signed with the same credentials (they do not expire).
    now += 2000;
    const second = await tokens.token(plain);
    expect(second).not.toBe(first);
    expect(handedOut).toEqual(['main']);
    // Another cluster has its own token (its own x-k8s-aws-id).
    expect(await tokens.token({ ...plain, clusterId: 'other' })).not.toBe(
      second,
    );
  });

  it('mints once for callers that ask together', async () => {
    const { credentials, handedOut } = manager();
    const tokens = new EksTokenProvider(credentials);
    const all = await Promise.all([1, 2, 3, 4].map(() => tokens.token(plain)));
    expect(new Set(all).size).toBe(1);
    expect(handedOut).toEqual(['main']);
  });

  it('assumes kubernetes.io/aws-assume-role from the main account when aws.accounts does not configure its account, as AwsIamStrategy does', async () => {
    const { credentials, handedOut, lookups } = manager();
    const { assume, calls, assumed } = fakeAssume();
    let now = Date.now();
    const tokens = new EksTokenProvider(
      credentials,
      undefined,
      () => now,
      assume,
    );
    const token = await tokens.token(withRole);
    expect(signedBy(token)).toEqual({
      accessKeyId: 'ASIAROLE1',
      region: 'eu-west-1',
      sessionToken: 'session-1',
    });
    expect(lookups).toEqual([withRole.assumeRole, undefined]);
    expect(calls).toHaveLength(1);
    expect(calls[0].params).toEqual({
      RoleArn: withRole.assumeRole,
      ExternalId: 'ext-1',
    });
    expect(calls[0].clientConfig?.region).toBe('eu-west-1');
    // The master credentials are the main account's provider.
    const master = calls[0].masterCredentials as () => Promise<unknown>;
    await master();
    expect(handedOut).toEqual(['main']);
    // The role's credentials are remembered: a later token assumes no role again.
    now += 60_000;
    const later = await tokens.token(withRole);
    expect(later).not.toBe(token);
    expect(assumed()).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it("assumes the role from its own account's credentials when aws.accounts configures it", async () => {
    const { credentials, handedOut } = manager(['111111111111']);
    const { assume, calls } = fakeAssume();
    const tokens = new EksTokenProvider(
      credentials,
      undefined,
      undefined,
      assume,
    );
    await tokens.token({
      ...withRole,
      externalId: undefined,
    });
    expect(calls[0].params).toEqual({ RoleArn: withRole.assumeRole });
    await (calls[0].masterCredentials as () => Promise<unknown>)();
    expect(handedOut).toEqual(['acct111111111111']);
  });

  it('says why there is no token, with @backstage/errors, and tries again next time', async () => {
    const denied = Object.assign(
      new Error(
        'User: arn:aws:iam::123456789012:user/backstage is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/backstage-eks',
      ),
      { name: 'AccessDenied' },
    );
    const { credentials } = manager();
    const { assume, calls } = fakeAssume(denied);
    const tokens = new EksTokenProvider(
      credentials,
      undefined,
      undefined,
      assume,
    );
    const error = await tokens.token(withRole).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain(
      'Could not get an EKS token for cluster "prod" as arn:aws:iam::111111111111:role/backstage-eks: AccessDenied: User: arn:aws:iam::123456789012:user/backstage is not authorized to perform: sts:AssumeRole',
    );
    await expect(tokens.token(withRole)).rejects.toThrow(NotAllowedError);
    // The provider is kept (it is the SDK's, asked again each time), the failure is not.
    expect(calls).toHaveLength(1);

    // A configuration error of integration-aws-node is not taken for "no integration".
    const broken: AwsCredentialsManager = {
      getCredentialProvider: async () => {
        throw new Error('aws.mainAccount: bad profile');
      },
    };
    await expect(new EksTokenProvider(broken).token(withRole)).rejects.toThrow(
      'Could not get an EKS token for cluster "prod" as arn:aws:iam::111111111111:role/backstage-eks; caused by Error: aws.mainAccount: bad profile',
    );
  });
});
