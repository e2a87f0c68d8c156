import { createHash } from 'node:crypto';
import type { CacheService } from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';
import type { CacheSettings } from '../config/types';
import { currentRequestSignal, SharedWork, withRequestSignal } from '../budget';

/**
 * What is stored: the answer as JSON text (`j` absent for "read, and not there", so a miss
 * and a 404 differ) and when it was read (`at`, ms), so a fresh read can accept what is
 * newer. Text, not the object: the cache service's Keyv serializes an object with a
 * recursive serializer and parses it back with a reviver called on every value, which for
 * a status report of a few dozen kB was the largest JavaScript function in the benchmark's
 * CPU profile of cached `/status` requests (docs/benchmarks.md); a string costs one
 * `JSON.stringify` and one plain `JSON.parse`. `v` is the earlier form, still read from a shared store.
 */
type Stored<T> = { j?: string; v?: T; at: number };

/** The answer in `hit`; `{ ok: false }` for an entry that is not one (treated as a miss). */
function storedValue<T>(
  hit: Stored<T>,
): { ok: true; value: T | undefined } | { ok: false } {
  if (typeof hit.j !== 'string') return { ok: true, value: hit.v };
  try {
    return { ok: true, value: JSON.parse(hit.j) as T };
  } catch {
    return { ok: false };
  }
}

/**
 * How a read may use the cache: `false` from it, `true` never from it (read now), or a
 * time in ms: only what was read at or after it (one Refresh reads each key once).
 */
export type Freshness = boolean | number;

const STATUS_GENERATION_KEY = 'status-generation';

/**
 * IAM, EKS and issuer reads, and whole status reports, kept in Backstage's cache service
 * (memory, or Redis shared by replicas) for `irsa.cache`'s TTLs. Only answers the peers
 * gave are stored: never a token, a credential or a failure. Concurrent misses for one
 * key make one call (in this process), so a page many open at once costs one `GetRole`,
 * and a report computed for clients that all went away is not kept.
 * The cache is an accelerator: when the store fails, reads go to the peers.
 */
export class ReadCache {
  private readonly shared = new SharedWork();

  constructor(
    private readonly cache: CacheService | undefined,
    readonly settings: CacheSettings,
  ) {}

  /** A ReadCache that keeps nothing (tests and callers without a cache service). */
  static none(): ReadCache {
    return new ReadCache(undefined, { readTtlMs: 0, statusTtlMs: 0 });
  }

  /**
   * `load()`'s answer for `key`, from the cache unless `fresh` (which reads and stores
   * anew). `undefined` (not found) is cached too; an answer `keep` refuses is not.
   */
  read<T extends JsonValue>(
    key: string,
    load: () => Promise<T | undefined>,
    fresh: Freshness = false,
    keep: (value: T | undefined) => boolean = () => true,
  ): Promise<T | undefined> {
    return this.through(
      `read:${key}`,
      this.settings.readTtlMs,
      async () => {
        const value = await load();
        return { value, keep: keep(value) };
      },
      fresh,
    );
  }

  /**
   * A report about `subject` (an entity's status, an overview page), reused until its TTL
   * or until the product writes. Not kept when `keep` refuses it, nor when every client
   * it was computed for went away (its reads may have been dropped).
   */
  async status<T extends JsonValue>(
    subject: unknown,
    compute: () => Promise<T>,
    fresh = false,
    keep: (value: T) => boolean = () => true,
  ): Promise<T> {
    if (!this.cache || this.settings.statusTtlMs === 0) return compute();
    // The subject's own content is in the key: a changed annotation is a new report.
    const subjectHash = createHash('sha256')
      .update(JSON.stringify(subject))
      .digest('hex');
    const generation = await this.safeGet<number>(STATUS_GENERATION_KEY);
    return (await this.through<T>(
      `status:${generation ?? 0}:${subjectHash}`,
      this.settings.statusTtlMs,
      async () => {
        const value = await compute();
        return { value, keep: keep(value) };
      },
      fresh,
    )) as T;
  }

  /** After a write: the keys it changed are read afresh, and every status recomputed. */
  async forget(...keys: string[]): Promise<void> {
    if (!this.cache) return;
    await Promise.all(keys.map(k => this.safeDelete(`read:${k}`)));
    await this.safeSet(STATUS_GENERATION_KEY, Date.now());
  }

  private async through<T>(
    key: string,
    ttl: number,
    load: () => Promise<{ value: T | undefined; keep: boolean }>,
    fresh: Freshness,
  ): Promise<T | undefined> {
    if (!this.cache || ttl === 0) return (await load()).value;
    if (fresh !== true) {
      const hit = await this.safeGet<Stored<T>>(key);
      if (hit && (fresh === false || hit.at >= fresh)) {
        const stored = storedValue(hit);
        if (stored.ok) return stored.value;
      }
    }
    // Concurrent misses share one load, which runs under its own signal (SharedWork).
    return this.shared.run(
      fresh === false ? key : `${key}#fresh`,
      currentRequestSignal(),
      signal =>
        withRequestSignal(signal, async () => {
          const { value, keep } = await load();
          if (keep && !signal.aborted) {
            const at = Date.now();
            const stored: Stored<T> =
              value === undefined ? { at } : { j: JSON.stringify(value), at };
            await this.safeSet(key, stored as JsonValue, ttl);
          }
          return value;
        }),
    );
  }

  private async safeGet<T>(key: string): Promise<T | undefined> {
    try {
      return (await this.cache!.get(key)) as T | undefined;
    } catch {
      return undefined;
    }
  }

  private async safeSet(key: string, value: JsonValue, ttl?: number) {
    try {
      await this.cache!.set(key, value, ttl ? { ttl } : undefined);
    } catch {
      // A cache that cannot be written only costs the next reader a call.
    }
  }

  private async safeDelete(key: string) {
    try {
      await this.cache!.delete(key);
    } catch {
      // Not deleted: the entry ends with its TTL; status reports are cleared by generation.
    }
  }
}

/**
 * `target`, where each call of one of `writes` ends every cached status report once it
 * has settled (also when it failed: it may have been applied before the error).
 */
export function forgettingAfter<T extends object>(
  target: T,
  writes: Array<keyof T & string>,
  cache: ReadCache,
): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || !writes.includes(prop as never)) {
        return value;
      }
      return async (...args: unknown[]) => {
        try {
          return await value.apply(obj, args);
        } finally {
          await cache.forget();
        }
      };
    },
  });
}
