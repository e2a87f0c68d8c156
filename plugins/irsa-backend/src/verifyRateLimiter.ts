import type { CacheService } from '@backstage/backend-plugin-api';
import type { RateLimit } from '@backstage-irsa/plugin-irsa-node';

/** The outcome of asking for one verify. */
export type RateDecision =
  | { allowed: true }
  | {
      allowed: false;
      scope: 'user' | 'entity';
      limit: RateLimit;
      retryAfterSeconds: number;
    };

/**
 * Fixed-window limits on live verify, per user and per entity, counted in Backstage's
 * cache service so every replica that shares `backend.cache` shares the counts. The cache
 * has no atomic increment, so replicas racing on the same key in the same instant can each
 * let one extra call through; the limit bounds cost and abuse, it is not an exact quota.
 * Keys hold entity and user refs only, never a token.
 */
export class VerifyRateLimiter {
  constructor(
    private readonly cache: CacheService,
    private readonly limits: { perUser: RateLimit; perEntity: RateLimit },
    private readonly now: () => number = Date.now,
  ) {}

  async take(userRef: string, entityRef: string): Promise<RateDecision> {
    const user = this.window('user', userRef, this.limits.perUser);
    const entity = this.window('entity', entityRef, this.limits.perEntity);
    for (const w of [user, entity]) {
      const count = ((await this.cache.get<number>(w.key)) ?? 0) as number;
      if (count >= w.limit.limit) {
        return {
          allowed: false,
          scope: w.scope,
          limit: w.limit,
          retryAfterSeconds: w.retryAfterSeconds,
        };
      }
      w.count = count;
    }
    // Count only calls that go through, so a refused burst does not extend the block.
    for (const w of [user, entity]) {
      await this.cache.set(w.key, w.count + 1, { ttl: w.ttlMs });
    }
    return { allowed: true };
  }

  private window(scope: 'user' | 'entity', ref: string, limit: RateLimit) {
    const size = limit.windowSeconds * 1000;
    const now = this.now();
    const index = Math.floor(now / size);
    const ends = (index + 1) * size;
    return {
      scope,
      limit,
      key: `verify-rate:${scope}:${ref.toLocaleLowerCase('en-US')}:${index}`,
      ttlMs: ends - now,
      retryAfterSeconds: Math.max(1, Math.ceil((ends - now) / 1000)),
      count: 0,
    };
  }
}
