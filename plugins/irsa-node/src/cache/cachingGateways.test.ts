import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import type { IamGateway } from '../aws';
import type { AwsGatewayFactory } from '../service/gateways';
import { cachingGatewayFactory } from './cachingGateways';
import { ReadCache } from './ReadCache';

describe('cachingGatewayFactory', () => {
  it('reads a role afresh after each of its writes, inline policies and boundary included', async () => {
    let boundary = 'arn:aws:iam::111111111111:policy/a';
    const inner = {
      getRole: jest.fn(async (name: string) => ({
        arn: `arn:aws:iam::111111111111:role/${name}`,
        name,
        path: '/',
        trustPolicy: {},
        tags: {},
        permissionsBoundaryArn: boundary,
      })),
      putRolePolicy: jest.fn(async () => {}),
      putRolePermissionsBoundary: jest.fn(async (_: string, arn: string) => {
        boundary = arn;
      }),
      getRolePolicy: jest.fn(async () => ({ Version: '2012-10-17' })),
    } as unknown as IamGateway;
    const factory = {
      iam: async () => inner,
    } as unknown as AwsGatewayFactory;
    const cache = new ReadCache(
      CacheManager.fromConfig(new ConfigReader({})).forPlugin('irsa'),
      { readTtlMs: 60_000, statusTtlMs: 60_000 },
    );
    const iam = await cachingGatewayFactory(factory, cache, false).iam(
      '111111111111',
      'eu-west-1',
    );
    await iam.getRole('r');
    await iam.getRole('r');
    expect(inner.getRole).toHaveBeenCalledTimes(1);

    await iam.putRolePolicy('r', 'preset-x', '{}');
    await iam.getRole('r');
    expect(inner.getRole).toHaveBeenCalledTimes(2);

    await iam.putRolePermissionsBoundary(
      'r',
      'arn:aws:iam::111111111111:policy/b',
    );
    expect((await iam.getRole('r'))?.permissionsBoundaryArn).toBe(
      'arn:aws:iam::111111111111:policy/b',
    );
    expect(inner.getRole).toHaveBeenCalledTimes(3);

    // Inline policies are read only by plans, never from the cache.
    await iam.getRolePolicy('r', 'preset-x');
    await iam.getRolePolicy('r', 'preset-x');
    expect(inner.getRolePolicy).toHaveBeenCalledTimes(2);
  });

  it('reads a role afresh after each write of a retirement, and never caches the inline names', async () => {
    let exists = true;
    const inner = {
      getRole: jest.fn(async (name: string) =>
        exists
          ? {
              arn: `arn:aws:iam::111111111111:role/${name}`,
              name,
              path: '/',
              trustPolicy: {},
              tags: {},
            }
          : undefined,
      ),
      listRolePolicyNames: jest.fn(async () => ['preset-x']),
      detachPolicy: jest.fn(async () => {}),
      deleteRolePolicy: jest.fn(async () => {}),
      deleteRole: jest.fn(async () => {
        exists = false;
      }),
    } as unknown as IamGateway;
    const cache = new ReadCache(
      CacheManager.fromConfig(new ConfigReader({})).forPlugin('irsa'),
      { readTtlMs: 60_000, statusTtlMs: 60_000 },
    );
    const iam = await cachingGatewayFactory(
      { iam: async () => inner } as unknown as AwsGatewayFactory,
      cache,
      false,
    ).iam('111111111111', 'eu-west-1');
    const reads = () => (inner.getRole as jest.Mock).mock.calls.length;

    await iam.getRole('r');
    await iam.detachPolicy('r', 'arn:aws:iam::aws:policy/X');
    await iam.getRole('r');
    expect(reads()).toBe(2);
    await iam.deleteRolePolicy('r', 'preset-x');
    await iam.getRole('r');
    expect(reads()).toBe(3);
    await iam.deleteRole('r');
    expect(await iam.getRole('r')).toBeUndefined();
    expect(reads()).toBe(4);

    await iam.listRolePolicyNames('r');
    await iam.listRolePolicyNames('r');
    expect(inner.listRolePolicyNames).toHaveBeenCalledTimes(2);
  });
});
