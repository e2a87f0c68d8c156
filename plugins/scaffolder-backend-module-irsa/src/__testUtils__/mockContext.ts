import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject } from '@backstage/types';

/**
 * createMockActionContext with `isDryRun` honoured: the test-utils version (0.3.14)
 * silently drops that option, which would turn every dry-run test into a real run.
 */
export function mockContext<T extends JsonObject>(
  input: T,
  options: { dryRun?: boolean } = {},
) {
  return {
    ...createMockActionContext<T>({ input }),
    isDryRun: options.dryRun ?? false,
  };
}
