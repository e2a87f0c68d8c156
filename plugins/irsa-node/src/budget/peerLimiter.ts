import { AsyncResource } from 'node:async_hooks';
import pLimit from 'p-limit';
import { currentRequestSignal, RequestAbandonedError } from './requestSignal';

type Limit = ReturnType<typeof pLimit>;

/**
 * At most `concurrency` calls in flight to each peer (an AWS account and region, a
 * cluster's API server); the others queue. A queued call whose request's client has gone
 * is dropped when its turn comes, so abandoned requests neither hold sockets nor pile up
 * in memory (measured before: hundreds of queued SDK requests at 50 connections).
 */
export class PeerLimiter {
  private readonly limits = new Map<string, Limit>();

  constructor(private readonly concurrency: number) {}

  run<T>(peer: string, call: () => Promise<T>): Promise<T> {
    let limit = this.limits.get(peer);
    if (!limit) {
      limit = pLimit(this.concurrency);
      this.limits.set(peer, limit);
    }
    const signal = currentRequestSignal();
    // p-limit starts a queued call from the context of the call that finished before it;
    // bind it to its own request's context so its signal and logs stay its own.
    const start = AsyncResource.bind(() => {
      if (signal?.aborted) throw new RequestAbandonedError();
      return call();
    });
    return limit(start);
  }

  /** Calls waiting for a slot, all peers together (benchmarks and tests read it). */
  get pending(): number {
    let n = 0;
    for (const l of this.limits.values()) n += l.pendingCount;
    return n;
  }
}

/**
 * `target` with every method's calls going through `limiter` for `peer`. A Proxy rather
 * than a wrapper class per gateway: the gateways' interfaces change, the rule does not.
 */
export function limitedGateway<T extends object>(
  target: T,
  limiter: PeerLimiter,
  peer: string,
): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        limiter.run(peer, () => value.apply(obj, args));
    },
  });
}
