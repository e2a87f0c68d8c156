import { PeerLimiter, limitedGateway } from './peerLimiter';
import { RequestAbandonedError, withRequestSignal } from './requestSignal';
import { SharedWork } from './sharedWork';

const tick = (ms = 5) => new Promise(r => setTimeout(r, ms));

describe('PeerLimiter', () => {
  it('keeps at most `concurrency` calls in flight to each peer', async () => {
    const limiter = new PeerLimiter(3);
    let inFlight = 0;
    let most = 0;
    const call = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      inFlight -= 1;
    };
    await Promise.all(
      Array.from({ length: 20 }, () => limiter.run('account-a', call)),
    );
    expect(most).toBe(3);
  });

  it('drops the queued calls of a request whose client went away, and only those', async () => {
    const limiter = new PeerLimiter(1);
    const made: string[] = [];
    const slow = limitedGateway(
      {
        read: async (who: string) => {
          made.push(who);
          await tick(20);
          return who;
        },
      },
      limiter,
      'cluster-a',
    );
    const gone = new AbortController();
    const first = withRequestSignal(new AbortController().signal, () =>
      slow.read('first'),
    );
    const abandoned = withRequestSignal(gone.signal, () =>
      slow.read('abandoned'),
    );
    const other = withRequestSignal(new AbortController().signal, () =>
      slow.read('other'),
    );
    gone.abort();
    await expect(abandoned).rejects.toBeInstanceOf(RequestAbandonedError);
    expect(await first).toBe('first');
    expect(await other).toBe('other');
    expect(made).toEqual(['first', 'other']);
    expect(limiter.pending).toBe(0);
  });
});

describe('SharedWork', () => {
  it('shares one run, which is aborted only when every caller has gone', async () => {
    const shared = new SharedWork();
    let runs = 0;
    let runSignal: AbortSignal | undefined;
    const work = async (signal: AbortSignal) => {
      runs += 1;
      runSignal = signal;
      await tick(20);
      return 'done';
    };
    const a = new AbortController();
    const b = new AbortController();
    const pa = shared.run('k', a.signal, work);
    const pb = shared.run('k', b.signal, work);
    a.abort();
    await tick();
    expect(runSignal?.aborted).toBe(false);
    b.abort();
    expect(runSignal?.aborted).toBe(true);
    expect(await pa).toBe('done');
    expect(await pb).toBe('done');
    expect(runs).toBe(1);
  });
});
