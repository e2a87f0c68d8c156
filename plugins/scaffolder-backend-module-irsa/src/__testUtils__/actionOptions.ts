import type { IrsaService } from '@backstage-irsa/plugin-irsa-node';
import { RequestAuthorizer } from '@backstage-irsa/plugin-irsa-node';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** The owner of every entity the test catalog makes up (see sandboxIrsaService). */
export const TEST_OWNER = 'group:default/team-test';

/** A catalog entity as the actions read it. */
export interface TestEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
}

/**
 * The actions' dependencies for tests: the real RequestAuthorizer over a catalog and a
 * permission service the test controls, and a mock auditor whose events can be asserted.
 * Without `entities`, every well-formed Component ref exists, owned by TEST_OWNER.
 */
export function testActionOptions(
  irsaService: IrsaService,
  options: {
    entities?: TestEntity[];
    decide?: (permission: string, resourceRef?: string) => boolean;
  } = {},
) {
  const auditor = mockServices.auditor.mock();
  const event = {
    success: jest.fn(async () => {}),
    fail: jest.fn(async () => {}),
  };
  auditor.createEvent.mockResolvedValue(event);
  const catalog = {
    getEntityByRef: jest.fn(async (ref: string) => {
      const [kind, rest] = ref.split(':');
      const [namespace, name] = rest.split('/');
      if (options.entities) {
        return options.entities.find(
          e =>
            e.kind.toLocaleLowerCase('en-US') === kind &&
            (e.metadata.namespace ?? 'default') === namespace &&
            e.metadata.name === name,
        );
      }
      return kind === 'component'
        ? {
            kind: 'Component',
            metadata: { name, namespace },
            spec: { owner: TEST_OWNER },
          }
        : undefined;
    }),
  };
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async requests =>
    requests.map(r => ({
      result:
        options.decide?.(
          r.permission.name,
          (r as { resourceRef?: string }).resourceRef,
        ) ?? true
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })),
  );
  const authorizer = new RequestAuthorizer({
    registry: irsaService.registry,
    catalog,
    permissions,
  });
  return { irsaService, authorizer, auditor, event, catalog, permissions };
}
