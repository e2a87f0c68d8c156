import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import type { ClusterRegistry } from '@backstage-irsa/plugin-irsa-node';

/** Dependencies every IRSA action factory takes; module.ts is the only glue. */
export interface IrsaActionsOptions {
  clusterRegistry: ClusterRegistry;
}

/** Every IRSA scaffolder action, built from the module's injected services. */
export function createIrsaActions(
  _options: IrsaActionsOptions,
): TemplateAction<any, any, any>[] {
  return [];
}
