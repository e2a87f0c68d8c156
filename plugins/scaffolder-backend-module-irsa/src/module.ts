import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { irsaServiceRef } from '@backstage-irsa/plugin-irsa-node';
import { createIrsaActions } from './actions';

/**
 * Adds the IRSA actions to the scaffolder: `aws:oidc:ensure`, `aws:irsa:create-role`
 * and `k8s:create-sa`.
 * @public
 */
export const scaffolderModuleIrsa = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'irsa',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        irsaService: irsaServiceRef,
      },
      async init({ scaffolder, irsaService }) {
        scaffolder.addActions(...createIrsaActions({ irsaService }));
      },
    });
  },
});
