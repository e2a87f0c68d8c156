import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isIrsaAvailable } from '@backstage-irsa/plugin-irsa-common';
import { irsaApiRef, IrsaClient } from './api';

export { irsaTranslationRef } from './translation';

const irsaApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: irsaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new IrsaClient(deps),
    }),
});

/** The IRSA card on entity pages of services that name Kubernetes workloads. */
const irsaEntityCard = EntityCardBlueprint.make({
  name: 'irsa',
  params: {
    filter: entity => entity.kind === 'Component' && isIrsaAvailable(entity),
    loader: () =>
      import('./components/EntityIrsaCard').then(m => <m.EntityIrsaCard />),
  },
});

/**
 * The IRSA frontend plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'irsa',
  extensions: [irsaApi, irsaEntityCard],
});
