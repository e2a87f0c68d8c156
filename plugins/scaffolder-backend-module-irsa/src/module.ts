import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  irsaServiceRef,
  RequestAuthorizer,
} from '@backstage-irsa/plugin-irsa-node';
import { createIrsaActions } from './actions';

/**
 * Adds the IRSA actions to the scaffolder: `aws:oidc:ensure`, `aws:irsa:create-role`,
 * `k8s:create-sa`, `aws:irsa:verify` and `aws:irsa:delete-role`. Each checks the task initiator with the
 * permission framework and the catalog (as that user) before any cloud call, and audits
 * every run.
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
        catalog: catalogServiceRef,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
      },
      async init({ scaffolder, irsaService, catalog, permissions, auditor }) {
        const authorizer = new RequestAuthorizer({
          registry: irsaService.registry,
          catalog,
          permissions,
        });
        scaffolder.addActions(
          ...createIrsaActions({ irsaService, authorizer, auditor }),
        );
      },
    });
  },
});
