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
  overviewRouteRef,
  removeAccessTemplateRouteRef,
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
  routes: {
    troubleshooting: troubleshootingRouteRef,
    overview: overviewRouteRef,
  },
  externalRoutes: {
    requestAccessTemplate: requestAccessTemplateRouteRef,
    removeAccessTemplate: removeAccessTemplateRouteRef,
  },
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

/**
 * The platform overview for the legacy frontend system: every ServiceAccount
 * backstage-irsa manages, on every cluster, and the orphans (needs `irsa.overview.read`).
 * Mount it at `/irsa` (`<Route path="/irsa" element={<IrsaOverviewPage />} />`) and bind
 * `removeAccessTemplate` to the scaffolder's template page like `requestAccessTemplate`.
 * @public
 */
export const IrsaOverviewPage = irsaPlugin.provide(
  createRoutableExtension({
    name: 'IrsaOverviewPage',
    component: () =>
      import('./components/OverviewPage').then(m => m.OverviewPage),
    mountPoint: overviewRouteRef,
  }),
);
