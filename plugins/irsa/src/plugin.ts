import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { irsaApiRef, IrsaClient } from './api';

/**
 * The IRSA frontend plugin for apps on the legacy frontend system.
 * @public
 */
export const irsaPlugin = createPlugin({
  id: 'irsa',
  apis: [
    createApiFactory({
      api: irsaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new IrsaClient(deps),
    }),
  ],
});

/**
 * Entity card for the legacy frontend system; add it to the entity page's overview.
 * @public
 */
export const EntityIrsaCard = irsaPlugin.provide(
  createComponentExtension({
    name: 'EntityIrsaCard',
    component: {
      lazy: () =>
        import('./components/EntityIrsaCard').then(m => m.EntityIrsaCard),
    },
  }),
);
