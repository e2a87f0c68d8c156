/**
 * One run of `work` per key at a time, shared by every caller that asks meanwhile. The
 * run gets its own signal, which aborts only when every caller's signal has: one client
 * leaving never spoils the answer for the others waiting on the same run.
 */
export class SharedWork {
  private readonly running = new Map<
    string,
    { promise: Promise<unknown>; waiters: number; controller: AbortController }
  >();

  run<T>(
    key: string,
    callerSignal: AbortSignal | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    let entry = this.running.get(key);
    if (!entry) {
      const controller = new AbortController();
      const promise = work(controller.signal);
      const created = { promise, waiters: 0, controller };
      entry = created;
      this.running.set(key, created);
      const clear = () => {
        if (this.running.get(key) === created) this.running.delete(key);
      };
      promise.then(clear, clear);
    }
    const joined = entry;
    joined.waiters += 1;
    if (callerSignal) {
      const leave = () => {
        joined.waiters -= 1;
        if (joined.waiters === 0) joined.controller.abort();
      };
      if (callerSignal.aborted) leave();
      else callerSignal.addEventListener('abort', leave, { once: true });
    } else {
      // A caller that cannot go away keeps the run alive.
      joined.waiters += Number.MAX_SAFE_INTEGER / 2;
    }
    return joined.promise as Promise<T>;
  }
}
