import {
  compareOverviewItems,
  type OverviewSortKey,
  removeAccessFormData,
} from './overview';
import type { OverviewItem } from './statusReport';

const row = (
  cluster: string,
  namespace: string,
  serviceAccount: string,
  overall: OverviewItem['overall'],
  entityRef?: string,
): OverviewItem => ({
  cluster,
  namespace,
  serviceAccount,
  overall,
  ...(entityRef ? { entityRef } : {}),
});

const rows = [
  row('b', 'ns1', 'z', 'trusted', 'component:default/c'),
  row('a', 'ns2', 'a', 'broken', 'component:default/A'),
  row('a', 'ns1', 'y', 'unknown'),
  row('c', 'ns1', 'x', 'warning', 'component:default/b'),
];
const names = (sort: OverviewSortKey, order: 'asc' | 'desc' = 'asc') =>
  [...rows]
    .sort((x, y) => compareOverviewItems(x, y, sort, order))
    .map(r => r.serviceAccount);

describe('compareOverviewItems', () => {
  it('sorts by each key, then by cluster, namespace and name', () => {
    expect(names('cluster')).toEqual(['y', 'a', 'z', 'x']);
    expect(names('namespace')).toEqual(['x', 'y', 'z', 'a']);
    expect(names('name')).toEqual(['a', 'x', 'y', 'z']);
    // Refs compare case-insensitively (the catalog's rule); no entity comes last.
    expect(names('entity')).toEqual(['a', 'x', 'z', 'y']);
    expect(names('status')).toEqual(['z', 'x', 'y', 'a']);
  });

  it('reverses the key when descending (broken first by status), not the ties', () => {
    expect(names('status', 'desc')).toEqual(['a', 'y', 'x', 'z']);
    expect(names('cluster', 'desc')).toEqual(['x', 'z', 'y', 'a']);
    // Namespace and name are one key: both reverse.
    expect(names('namespace', 'desc')).toEqual(['a', 'z', 'y', 'x']);
  });
});

describe('removeAccessFormData', () => {
  it('fills what is known, and needs the entity', () => {
    expect(
      removeAccessFormData({
        entityRef: 'component:default/gone',
        roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-gone',
        namespace: 'payments',
      }),
    ).toEqual({
      entity: 'component:default/gone',
      namespace: 'payments',
      roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-gone',
    });
    expect(
      removeAccessFormData({ roleArn: 'arn:aws:iam::1:role/x' }),
    ).toBeUndefined();
  });
});
