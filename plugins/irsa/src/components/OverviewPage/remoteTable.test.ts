import { latestOnly } from './remoteTable';

describe('latestOnly', () => {
  it('answers a query overtaken by a newer one with the newer answer', async () => {
    const resolvers: Array<(v: any) => void> = [];
    const data = latestOnly<{ n: number }>(
      () => new Promise(resolve => resolvers.push(resolve)),
    );
    const first = data({} as any);
    const second = data({} as any);
    const newest = { data: [{ n: 2 }], page: 0, totalCount: 1 };
    resolvers[1](newest);
    resolvers[0]({ data: [{ n: 1 }], page: 0, totalCount: 1 });
    await expect(first).resolves.toBe(newest);
    await expect(second).resolves.toBe(newest);
  });
});
