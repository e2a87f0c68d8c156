import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type {
  KubeConfig,
  RequestContext,
  SecurityAuthentication,
} from '@kubernetes/client-node';

/**
 * The kubeconfig's authentication, with one keep-alive agent per cluster. client-node 1.x
 * builds a new agent for every request (KubeConfig.applySecurityAuthentication), so each
 * request paid a new TCP and TLS handshake and a new secure context: profiled under the
 * benchmark's status load, TLS set-up was the backend's largest CPU cost
 * (docs/benchmarks.md). The headers, the token among them, still come from the kubeconfig
 * on every request; only the connection is kept. The agent's options (CA, TLS
 * verification) are the kubeconfig's, read on the first request: the product builds each
 * cluster's kubeconfig once, with a token and no client certificate, so they never change.
 * Agents the kubeconfig builds for a proxy are left as they are.
 */
export function keepAliveAuth(
  kubeConfig: KubeConfig,
  maxSockets: number,
  /**
   * A bearer token asked for on every request (an EKS token for `authProvider: aws`,
   * which the provider caches and renews); the kubeconfig then carries no token.
   */
  bearerToken?: () => Promise<string>,
): SecurityAuthentication {
  let kept: HttpAgent | undefined;
  return {
    getName: () => 'kubeconfig authentication, one keep-alive agent',
    async applySecurityAuthentication(context: RequestContext) {
      await kubeConfig.applySecurityAuthentication(context);
      if (bearerToken) {
        context.setHeaderParam(
          'Authorization',
          `Bearer ${await bearerToken()}`,
        );
      }
      const made = context.getAgent();
      if (!made) return;
      if (made.constructor === HttpsAgent) {
        kept ??= new HttpsAgent({
          ...(made as HttpsAgent).options,
          keepAlive: true,
          maxSockets,
        });
      } else if (made.constructor === HttpAgent) {
        kept ??= new HttpAgent({ keepAlive: true, maxSockets });
      } else {
        return;
      }
      context.setAgent(kept);
    },
  };
}
