/*
 * The demo's permission policy: backstage-irsa's documented default for its own
 * permissions (owners request, remove and verify access; everyone reads status), and allow for the
 * rest of this demo Backstage. A platform team keeps its own policy and calls
 * createIrsaPolicyDecisions first in the same way (docs/security.md).
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { createIrsaPolicyDecisions } from '@backstage-irsa/plugin-irsa-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'irsa-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, userInfo }) {
        const irsa = createIrsaPolicyDecisions({
          userInfo,
          // The demo's platform team; its one signed-in user, the guest, sees the
          // overview too so the demo (and the benchmark) can show it.
          overviewReaders: [
            'group:default/team-platform',
            'user:default/guest',
          ],
          // The same people may retire any entity's access, orphaned roles included (the
          // overview links them to "Remove AWS access").
          retirers: ['group:default/team-platform', 'user:default/guest'],
        });
        policy.setPolicy({
          async handle(request, user) {
            return (
              (await irsa.decide(request, user)) ?? {
                result: AuthorizeResult.ALLOW,
              }
            );
          },
        });
      },
    });
  },
});
