import { resolveBindings } from './resolveBindings';

const prod = { name: 'prod', accountId: '111111111111', region: 'eu-west-1' };
const dev = { name: 'dev', accountId: '222222222222', region: 'us-east-1' };

describe('resolveBindings', () => {
  it('pins an entry that names a cluster to that cluster', () => {
    expect(
      resolveBindings(
        [{ cluster: 'dev', namespace: 'ns', name: 'sa' }],
        [prod, dev],
      ),
    ).toEqual([
      { namespace: 'ns', name: 'sa', clusterName: 'dev', cluster: dev },
    ]);
  });

  it('spreads an entry without a cluster over every configured cluster', () => {
    expect(
      resolveBindings([{ namespace: 'ns', name: 'sa' }], [prod, dev]).map(
        b => b.clusterName,
      ),
    ).toEqual(['prod', 'dev']);
  });

  it('keeps an entry whose cluster is unknown, without a cluster', () => {
    expect(
      resolveBindings(
        [{ cluster: 'gone', namespace: 'ns', name: 'sa' }],
        [prod],
      ),
    ).toEqual([
      { namespace: 'ns', name: 'sa', clusterName: 'gone', cluster: undefined },
    ]);
  });
});
