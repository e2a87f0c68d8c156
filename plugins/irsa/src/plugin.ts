import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { irsaApiRef, IrsaClient } from './api';
import {
  requestAccessTemplateRouteRef,
  troubleshootingRouteRef,
} from './routes';

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
  routes: { troubleshooting: troubleshootingRouteRef },
  externalRoutes: { requestAccessTemplate: requestAccessTemplateRouteRef },
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

/**
 * The troubleshooting guide for the legacy frontend system; mount it at
 * `/irsa/troubleshooting` so the card's "Troubleshooting" links land on it
 * (`<Route path="/irsa/troubleshooting" element={<IrsaTroubleshootingPage />} />`).
 * @public
 */
export const IrsaTroubleshootingPage = irsaPlugin.provide(
  createRoutableExtension({
    name: 'IrsaTroubleshootingPage',
    component: () =>
      import('./components/TroubleshootingPage').then(
        m => m.TroubleshootingPage,
      ),
    mountPoint: troubleshootingRouteRef,
  }),
);
