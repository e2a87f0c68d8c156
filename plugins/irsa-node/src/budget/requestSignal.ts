import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The abort signal of the HTTP request a piece of work is for. Carried in async context,
 * not as a parameter, because it must reach the peer limiters under every gateway without
 * threading it through each service and check.
 */
const storage = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` on behalf of a request whose client may go away (`signal` aborts then). */
export function withRequestSignal<T>(
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  return signal ? storage.run(signal, work) : work();
}

/** The signal of the request the current work is for, if any. */
export function currentRequestSignal(): AbortSignal | undefined {
  return storage.getStore();
}

/** Thrown instead of starting a peer call for a request whose client has gone. */
export class RequestAbandonedError extends Error {
  name = 'RequestAbandonedError';
  constructor() {
    super('The client went away before this call started; it was not made.');
  }
}
