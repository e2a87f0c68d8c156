import type { ServiceAccountRef } from '@backstage-irsa/plugin-irsa-common';
import type { IrsaCluster } from '../../api';

/** One ServiceAccount on one cluster, as the card lists it. */
export interface CardBinding {
  namespace: string;
  name: string;
  clusterName: string;
  /** Undefined when the annotation names a cluster the backend does not know. */
  cluster?: IrsaCluster;
}

/**
 * Pairs annotation entries with configured clusters: an entry naming a cluster gets that
 * cluster (or none, so the card can say it is unknown); an entry without one applies to
 * every configured cluster, as the annotation's format documents.
 */
export function resolveBindings(
  refs: readonly ServiceAccountRef[],
  clusters: readonly IrsaCluster[],
): CardBinding[] {
  return refs.flatMap(ref => {
    if (ref.cluster !== undefined) {
      const cluster = clusters.find(c => c.name === ref.cluster);
      return [
        {
          namespace: ref.namespace,
          name: ref.name,
          clusterName: ref.cluster,
          cluster,
        },
      ];
    }
    return clusters.map(cluster => ({
      namespace: ref.namespace,
      name: ref.name,
      clusterName: cluster.name,
      cluster,
    }));
  });
}
