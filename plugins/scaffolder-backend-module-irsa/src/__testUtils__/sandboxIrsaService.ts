import { createIrsaService } from '@backstage-irsa/plugin-irsa-node';
import { sandboxAppConfig } from '@backstage-irsa/sandbox-test-utils';
import { ConfigReader } from '@backstage/config';
import { TEST_OWNER } from './actionOptions';

/**
 * The product's real IrsaService (config reading, integration-aws-node credentials, AWS
 * SDK gateways) pointed at the running sandbox. Unless a test says otherwise, every
 * namespace belongs to TEST_OWNER, who owns every entity of the test catalog, so tests
 * about other things can use fresh namespaces.
 */
export function sandboxIrsaService(
  options: Parameters<typeof sandboxAppConfig>[0] = {},
) {
  return createIrsaService(
    new ConfigReader(
      sandboxAppConfig({
        ...options,
        irsa: {
          namespaceOwnership: {
            source: 'config',
            namespaces: [{ name: '*', owners: [TEST_OWNER] }],
          },
          ...options.irsa,
        },
      }),
    ),
  );
}
