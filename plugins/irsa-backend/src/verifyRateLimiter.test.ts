import { mockServices } from '@backstage/backend-test-utils';
import { VerifyRateLimiter } from './verifyRateLimiter';

describe('VerifyRateLimiter', () => {
  const limits = {
    perUser: { limit: 2, windowSeconds: 60 },
    perEntity: { limit: 3, windowSeconds: 60 },
  };

  function limiter(start = 1_000_000) {
    let now = start;
    const cache = mockServices.cache.mock();
    const store = new Map<string, unknown>();
    cache.get.mockImplementation(async (k: string) => store.get(k) as any);
    cache.set.mockImplementation(async (k: string, v: unknown) => {
      store.set(k, v);
    });
    return {
      store,
      limiter: new VerifyRateLimiter(cache, limits, () => now),
      tick: (ms: number) => {
        now += ms;
      },
    };
  }

  it('allows up to the per-user limit, then refuses with the time left', async () => {
    const { limiter: l } = limiter(60_000 * 10 + 15_000);
    await expect(
      l.take('user:default/ada', 'component:default/a'),
    ).resolves.toEqual({ allowed: true });
    await expect(
      l.take('user:default/ada', 'component:default/b'),
    ).resolves.toEqual({ allowed: true });
    await expect(
      l.take('user:default/ada', 'component:default/c'),
    ).resolves.toEqual({
      allowed: false,
      scope: 'user',
      limit: limits.perUser,
      retryAfterSeconds: 45,
    });
  });

  it('limits an entity across users', async () => {
    const { limiter: l } = limiter();
    for (const u of ['a', 'b', 'c']) {
      await expect(
        l.take(`user:default/${u}`, 'component:default/x'),
      ).resolves.toEqual({ allowed: true });
    }
    await expect(
      l.take('user:default/d', 'component:default/x'),
    ).resolves.toMatchObject({
      allowed: false,
      scope: 'entity',
    });
  });

  it('starts again in the next window, and does not count refused calls', async () => {
    const { limiter: l, tick, store } = limiter(0);
    await l.take('user:default/ada', 'component:default/a');
    await l.take('user:default/ada', 'component:default/a');
    await l.take('user:default/ada', 'component:default/a');
    expect([...store.values()]).toEqual([2, 2]);
    tick(60_000);
    await expect(
      l.take('user:default/ada', 'component:default/a'),
    ).resolves.toEqual({ allowed: true });
  });

  it('keys hold refs only', async () => {
    const { limiter: l, store } = limiter(0);
    await l.take('user:default/Ada', 'component:default/a');
    expect([...store.keys()]).toEqual([
      'verify-rate:user:user:default/ada:0',
      'verify-rate:entity:component:default/a:0',
    ]);
  });
});
