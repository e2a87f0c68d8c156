import type { IrsaService } from '@backstage-irsa/plugin-irsa-node';
import { createIrsaRoleAction } from './createIrsaRole';
import { createServiceAccountAction } from './createServiceAccount';
import { createEnsureOidcProviderAction } from './ensureOidcProvider';

export { createIrsaRoleAction } from './createIrsaRole';
export { createServiceAccountAction } from './createServiceAccount';
export { createEnsureOidcProviderAction } from './ensureOidcProvider';

/** Dependencies every IRSA action factory takes; module.ts is the only glue. */
export interface IrsaActionsOptions {
  irsaService: IrsaService;
}

/** Every IRSA scaffolder action, built from the module's injected services. */
export function createIrsaActions(options: IrsaActionsOptions) {
  return [
    createEnsureOidcProviderAction(options),
    createIrsaRoleAction(options),
    createServiceAccountAction(options),
  ];
}
