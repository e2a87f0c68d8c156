import { createIrsaService } from '@backstage-irsa/plugin-irsa-node';
import { sandboxAppConfig } from '@backstage-irsa/sandbox-test-utils';
import { ConfigReader } from '@backstage/config';

/**
 * The product's real IrsaService (config reading, integration-aws-node credentials, AWS
 * SDK gateways) pointed at the running sandbox.
 */
export function sandboxIrsaService(
  options: Parameters<typeof sandboxAppConfig>[0] = {},
) {
  return createIrsaService(new ConfigReader(sandboxAppConfig(options)));
}
