import { ConfigReader } from '@backstage/config';
import { ClusterRegistry } from '../config';

/** A registry of one cluster `prod` (unreachable) plus `irsa` keys a test adds. */
export function testRegistry(irsa: object = {}): ClusterRegistry {
  return ClusterRegistry.fromConfig(
    new ConfigReader({
      irsa: {
        clusters: [
          {
            name: 'prod',
            accountId: '111111111111',
            region: 'eu-west-1',
            eksClusterName: 'prod',
            kubernetes: { url: 'https://k8s.example.com' },
          },
        ],
        ...irsa,
      },
    }),
  );
}
