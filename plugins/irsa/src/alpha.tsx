import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { irsaApiRef, IrsaClient } from './api';
import {
  requestAccessTemplateRouteRef,
  troubleshootingRouteRef,
} from './routes';

export { irsaTranslationRef } from './translation';

const irsaApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: irsaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new IrsaClient(deps),
    }),
});

/**
 * The IRSA card on every service's page: with the service's bindings, or with the way to
 * request AWS access when it has none (the backend finds the ServiceAccounts the template
 * made by their label, so no annotation is needed first).
 */
const irsaEntityCard = EntityCardBlueprint.make({
  name: 'irsa',
  params: {
    filter: entity => entity.kind === 'Component',
    loader: () =>
      import('./components/EntityIrsaCard').then(m => <m.EntityIrsaCard />),
  },
});

/** The troubleshooting guide the card's links land on (`/irsa/troubleshooting#f3`). */
const irsaTroubleshootingPage = PageBlueprint.make({
  name: 'troubleshooting',
  params: {
    path: '/irsa/troubleshooting',
    routeRef: troubleshootingRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/TroubleshootingPage').then(m => (
        <m.TroubleshootingPage />
      )),
  },
});

/**
 * The IRSA frontend plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'irsa',
  routes: { troubleshooting: troubleshootingRouteRef },
  externalRoutes: { requestAccessTemplate: requestAccessTemplateRouteRef },
  extensions: [irsaApi, irsaEntityCard, irsaTroubleshootingPage],
});

export { irsaScaffolderFieldsModule } from './scaffolderFieldsModule';
export { irsaFieldsTranslationRef } from './components/fields';
