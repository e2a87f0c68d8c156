import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import type { CacheService } from '@backstage/backend-plugin-api';
import { withRequestSignal } from '../budget';
import { forgettingAfter, ReadCache } from './ReadCache';

const settings = { readTtlMs: 60_000, statusTtlMs: 60_000 };

/** Backstage's own memory cache, as the backend builds it without `backend.cache`. */
function memoryCache(): CacheService {
  return CacheManager.fromConfig(new ConfigReader({})).forPlugin('irsa');
}

function counter<T>(value: T) {
  let calls = 0;
  const load = async () => {
    calls += 1;
    await new Promise(r => setTimeout(r, 10));
    return value;
  };
  return { load, calls: () => calls };
}

describe('ReadCache', () => {
  it('makes one call for concurrent misses, and none while the answer is cached', async () => {
    const cache = new ReadCache(memoryCache(), settings);
    const role = counter({ arn: 'arn:aws:iam::1:role/a' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => cache.read('role:a', role.load)),
    );
    expect(new Set(answers.map(a => JSON.stringify(a))).size).toBe(1);
    await cache.read('role:a', role.load);
    expect(role.calls()).toBe(1);
  });

  it('caches "not found", reads afresh when asked, and forgets what a write changed', async () => {
    const cache = new ReadCache(memoryCache(), settings);
    let stored: string | undefined;
    const load = jest.fn(async () => stored);
    expect(await cache.read('role:b', load)).toBeUndefined();
    stored = 'made';
    expect(await cache.read('role:b', load)).toBeUndefined();
    expect(await cache.read('role:b', load, true)).toBe('made');
    stored = 'changed';
    expect(await cache.read('role:b', load)).toBe('made');
    await cache.forget('role:b');
    expect(await cache.read('role:b', load)).toBe('changed');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('keeps nothing a `keep` refuses, and nothing at all with a TTL of 0', async () => {
    const refusing = new ReadCache(memoryCache(), settings);
    const failing = counter({ ok: false });
    await refusing.read('issuer', failing.load, false, v => v?.ok === true);
    await refusing.read('issuer', failing.load, false, v => v?.ok === true);
    expect(failing.calls()).toBe(2);

    const off = new ReadCache(memoryCache(), { readTtlMs: 0, statusTtlMs: 0 });
    const read = counter('x');
    await off.read('k', read.load);
    await off.read('k', read.load);
    expect(read.calls()).toBe(2);
  });

  it('reads from the peer when the cache store fails', async () => {
    const broken = {
      get: async () => {
        throw new Error('store down');
      },
      set: async () => {
        throw new Error('store down');
      },
      delete: async () => {
        throw new Error('store down');
      },
      withOptions: () => broken,
    } as unknown as CacheService;
    const cache = new ReadCache(broken, settings);
    expect(await cache.read('k', async () => 'from peer')).toBe('from peer');
    await expect(cache.forget('k')).resolves.toBeUndefined();
  });

  it('reuses a status report until a write, and keys it by the entity content', async () => {
    const cache = new ReadCache(memoryCache(), settings);
    let n = 0;
    const compute = async () => ({ n: ++n });
    const entity = { metadata: { name: 'a', annotations: { x: '1' } } };
    expect(await cache.status(entity, compute)).toEqual({ n: 1 });
    expect(await cache.status(entity, compute)).toEqual({ n: 1 });
    const changed = { metadata: { name: 'a', annotations: { x: '2' } } };
    expect(await cache.status(changed, compute)).toEqual({ n: 2 });
    await cache.forget();
    expect(await cache.status(entity, compute)).toEqual({ n: 3 });
    expect(await cache.status(entity, compute, true)).toEqual({ n: 4 });
  });

  it('does not keep a report computed for clients that all went away', async () => {
    const cache = new ReadCache(memoryCache(), settings);
    let n = 0;
    const gone = new AbortController();
    gone.abort();
    await withRequestSignal(gone.signal, () =>
      cache.status({ e: 1 }, async () => ({ n: ++n })),
    );
    expect(await cache.status({ e: 1 }, async () => ({ n: ++n }))).toEqual({
      n: 2,
    });
    // Nor one its caller refuses.
    await cache.status(
      { e: 3 },
      async () => ({ n: ++n }),
      false,
      () => false,
    );
    expect(await cache.status({ e: 3 }, async () => ({ n: ++n }))).toEqual({
      n: 4,
    });
  });

  it('ends cached status reports after each listed write, also a failed one', async () => {
    const cache = new ReadCache(memoryCache(), settings);
    const gateway = {
      write: async () => {
        throw new Error('refused');
      },
      read: async () => 'r',
    };
    const wrapped = forgettingAfter(gateway, ['write'], cache);
    let n = 0;
    const compute = async () => ({ n: ++n });
    await cache.status({ e: 2 }, compute);
    expect(await wrapped.read()).toBe('r');
    expect(await cache.status({ e: 2 }, compute)).toEqual({ n: 1 });
    await expect(wrapped.write()).rejects.toThrow('refused');
    expect(await cache.status({ e: 2 }, compute)).toEqual({ n: 2 });
  });
  it('stores answers as JSON text, still reads the earlier form, and treats a corrupt entry as a miss', async () => {
    const store = memoryCache();
    const cache = new ReadCache(store, settings);
    const role = {
      arn: 'arn:aws:iam::1:role/a',
      tags: [{ Key: ':x', Value: '' }],
    };
    await cache.read('role:a', async () => role);
    // Text, so the cache service's serializer and reviver see one string, not every value.
    const stored = (await store.get('read:role:a')) as { j?: unknown };
    expect(typeof stored.j).toBe('string');
    expect(JSON.parse(stored.j as string)).toEqual(role);
    const again = jest.fn(async () => role);
    expect(await cache.read('role:a', again)).toEqual(role);
    expect(again).not.toHaveBeenCalled();

    // What an earlier version left in a shared store is still an answer.
    await store.set('read:role:old', { v: { arn: 'old' }, at: Date.now() });
    const old = jest.fn(async () => ({ arn: 'peer' }));
    expect(await cache.read('role:old', old)).toEqual({ arn: 'old' });
    expect(old).not.toHaveBeenCalled();

    // An entry that is not JSON costs a call to the peer, not a failed request.
    await store.set('read:role:bad', { j: '{not json', at: Date.now() });
    const bad = jest.fn(async () => ({ arn: 'peer' }));
    expect(await cache.read('role:bad', bad)).toEqual({ arn: 'peer' });
    expect(bad).toHaveBeenCalledTimes(1);
  });
});
