import type { KubernetesConnection } from '../config/types';
import type { EksTokenProvider } from './EksTokenProvider';
import { ClientKubernetesGateway, kubeConfigFor } from './KubernetesGateway';

/**
 * The gateway of one cluster, authenticated as its connection says: the ServiceAccount
 * token of its kubeconfig, or (`authProvider: aws`) an EKS token from `eksTokens` on each
 * request.
 */
export function kubernetesGatewayFor(
  name: string,
  connection: KubernetesConnection,
  options: {
    timeoutMs: number;
    maxSockets: number;
    eksTokens: EksTokenProvider;
  },
): ClientKubernetesGateway {
  const { aws } = connection;
  return new ClientKubernetesGateway(
    name,
    kubeConfigFor(name, connection),
    options.timeoutMs,
    options.maxSockets,
    aws ? () => options.eksTokens.token(aws) : undefined,
  );
}
