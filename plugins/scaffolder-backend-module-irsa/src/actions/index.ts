import type { IrsaActionsOptions } from './actionContext';
import { createIrsaRoleAction } from './createIrsaRole';
import { createServiceAccountAction } from './createServiceAccount';
import { createDeleteIrsaRoleAction } from './deleteIrsaRole';
import { createEnsureOidcProviderAction } from './ensureOidcProvider';
import { createVerifyAccessAction } from './verifyAccess';

export type { IrsaActionsOptions } from './actionContext';
export { createIrsaRoleAction } from './createIrsaRole';
export { createServiceAccountAction } from './createServiceAccount';
export { createDeleteIrsaRoleAction } from './deleteIrsaRole';
export { createEnsureOidcProviderAction } from './ensureOidcProvider';
export { createVerifyAccessAction } from './verifyAccess';

/** Every IRSA scaffolder action, built from the module's injected services. */
export function createIrsaActions(options: IrsaActionsOptions) {
  return [
    createEnsureOidcProviderAction(options),
    createIrsaRoleAction(options),
    createServiceAccountAction(options),
    createVerifyAccessAction(options),
    createDeleteIrsaRoleAction(options),
  ];
}
