import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { irsaApiRef, IrsaClient } from './api';
import CloudIcon from '@material-ui/icons/Cloud';
import {
  overviewRouteRef,
  removeAccessTemplateRouteRef,
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
 * The platform overview (`/irsa`): every binding on every cluster, and the orphans. Its
 * title and icon make it a sidebar item in apps whose nav lists plugin pages.
 */
const irsaOverviewPage = PageBlueprint.make({
  name: 'overview',
  params: {
    path: '/irsa',
    routeRef: overviewRouteRef,
    title: 'AWS access',
    icon: <CloudIcon />,
    noHeader: true,
    loader: () =>
      import('./components/OverviewPage').then(m => <m.OverviewPage />),
  },
});

/**
 * The IRSA frontend plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'irsa',
  routes: {
    troubleshooting: troubleshootingRouteRef,
    overview: overviewRouteRef,
  },
  externalRoutes: {
    requestAccessTemplate: requestAccessTemplateRouteRef,
    removeAccessTemplate: removeAccessTemplateRouteRef,
  },
  extensions: [
    irsaApi,
    irsaEntityCard,
    irsaTroubleshootingPage,
    irsaOverviewPage,
  ],
});

export { irsaScaffolderFieldsModule } from './scaffolderFieldsModule';
export { irsaFieldsTranslationRef } from './components/fields';
