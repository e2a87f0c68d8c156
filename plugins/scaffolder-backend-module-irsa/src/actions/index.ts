import type { IrsaService } from '@backstage-irsa/plugin-irsa-node';
import { createEnsureOidcProviderAction } from './ensureOidcProvider';

export { createEnsureOidcProviderAction } from './ensureOidcProvider';

/** Dependencies every IRSA action factory takes; module.ts is the only glue. */
export interface IrsaActionsOptions {
  irsaService: IrsaService;
}

/** Every IRSA scaffolder action, built from the module's injected services. */
export function createIrsaActions(options: IrsaActionsOptions) {
  return [createEnsureOidcProviderAction(options)];
}
