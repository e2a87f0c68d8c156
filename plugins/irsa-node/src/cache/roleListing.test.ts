import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import type { IamGateway } from '../aws';
import type { AwsGatewayFactory } from '../service/gateways';
import { cachingGatewayFactory } from './cachingGateways';
import { ReadCache } from './ReadCache';

// The overview's role listing (ListRoles) is cached per account like the other IAM reads,
// and every role write of the product clears it: a role it created or deleted shows at once.
describe('cachingGatewayFactory: the role listing', () => {
  function setup() {
    const roles = [
      { arn: 'arn:aws:iam::1:role/irsa/a', name: 'a', path: '/irsa/' },
    ];
    const inner = {
      listRoles: jest.fn(async () => [...roles]),
      createRole: jest.fn(async () => ({})),
      tagRole: jest.fn(async () => {}),
    } as unknown as IamGateway;
    const factory = { iam: async () => inner } as unknown as AwsGatewayFactory;
    const cache = new ReadCache(
      CacheManager.fromConfig(new ConfigReader({})).forPlugin('irsa'),
      { readTtlMs: 60_000, statusTtlMs: 60_000 },
    );
    return { inner, factory, cache };
  }

  it('lists once per account until a role write, and reads anew when fresh', async () => {
    const { inner, factory, cache } = setup();
    const iam = await cachingGatewayFactory(factory, cache, false).iam(
      '111111111111',
      'eu-west-1',
    );
    await iam.listRoles('/irsa/');
    await iam.listRoles('/irsa/');
    expect(inner.listRoles).toHaveBeenCalledTimes(1);

    await iam.tagRole('a', { k: 'v' });
    await iam.listRoles('/irsa/');
    expect(inner.listRoles).toHaveBeenCalledTimes(2);

    // Another path is never answered from a listing of the first.
    await iam.listRoles('/other/');
    expect(inner.listRoles).toHaveBeenLastCalledWith('/other/');
    expect(inner.listRoles).toHaveBeenCalledTimes(3);

    const fresh = await cachingGatewayFactory(factory, cache, true).iam(
      '111111111111',
      'eu-west-1',
    );
    await fresh.listRoles('/other/');
    expect(inner.listRoles).toHaveBeenCalledTimes(4);
  });

  it('keeps one listing per account', async () => {
    const { inner, factory, cache } = setup();
    const cached = cachingGatewayFactory(factory, cache, false);
    await (await cached.iam('111111111111', 'eu-west-1')).listRoles('/irsa/');
    await (await cached.iam('222222222222', 'eu-west-1')).listRoles('/irsa/');
    await (await cached.iam('111111111111', 'eu-west-1')).listRoles('/irsa/');
    expect(inner.listRoles).toHaveBeenCalledTimes(2);
  });
});
