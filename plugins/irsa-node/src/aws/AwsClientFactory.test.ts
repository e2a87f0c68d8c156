import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsClientFactory } from './AwsClientFactory';

/** A credentials manager whose provider counts the sts:AssumeRole calls it would make. */
function manager(expiresInMs: number) {
  const assumed: string[] = [];
  const credentials: AwsCredentialsManager = {
    getCredentialProvider: async ({ accountId } = {}) => ({
      sdkCredentialProvider: async () => {
        assumed.push(accountId ?? '');
        return {
          accessKeyId: `AKIA${assumed.length}`,
          secretAccessKey: 'secret',
          expiration: new Date(Date.now() + expiresInMs),
        };
      },
    }),
  };
  return { assumed, credentials };
}

describe('AwsClientFactory', () => {
  it('reuses one set of credentials per account across clients until near expiry', async () => {
    const { assumed, credentials } = manager(60 * 60_000);
    const factory = new AwsClientFactory(credentials);
    for (const client of [
      await factory.iam('111111111111', 'eu-west-1'),
      await factory.eks('111111111111', 'eu-west-1'),
      await factory.iam('222222222222', 'eu-west-1'),
      await factory.iam('111111111111', 'us-east-1'),
    ]) {
      await client.config.credentials();
    }
    expect(assumed).toEqual(['111111111111', '222222222222']);
  });

  it('asks again for credentials about to expire', async () => {
    const { assumed, credentials } = manager(60_000);
    const factory = new AwsClientFactory(credentials);
    await (await factory.iam('111111111111', 'eu-west-1')).config.credentials();
    await (await factory.iam('111111111111', 'eu-west-1')).config.credentials();
    expect(assumed.length).toBeGreaterThanOrEqual(2);
  });

  it('bounds every call: timeouts that throw, and a fixed number of attempts', async () => {
    const client = await new AwsClientFactory(manager(60_000).credentials, {
      connectTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      maxAttempts: 4,
      maxConcurrency: 10,
    }).iam('111111111111', 'eu-west-1');
    expect(await client.config.maxAttempts()).toBe(4);
  });
});
