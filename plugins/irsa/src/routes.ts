import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

/**
 * Where the card's "Request AWS access" button goes: the scaffolder's page of one template.
 * Bound to the scaffolder by default (as the catalog's own "create from template" link is);
 * an app binds it elsewhere with `bindRoutes` (legacy) or `app.routes.bindings` (new
 * frontend system). Optional: without a scaffolder the button is not shown.
 * @public
 */
export const requestAccessTemplateRouteRef = createExternalRouteRef({
  id: 'irsa-request-access-template',
  optional: true,
  params: ['namespace', 'templateName'],
  defaultTarget: 'scaffolder.selectedTemplate',
});

/**
 * The in-app troubleshooting guide (`/irsa/troubleshooting`), where the card's
 * "Troubleshooting" links land when `irsa.docsBaseUrl` is not set.
 * @public
 */
export const troubleshootingRouteRef = createRouteRef({
  id: 'irsa-troubleshooting',
});

/**
 * Where the overview's "Remove AWS access" links go for an orphan: the scaffolder's page of
 * the "Remove AWS access" template (`irsa.removeAccessTemplate`), bound to the scaffolder by
 * default like {@link requestAccessTemplateRouteRef}. Optional: without a scaffolder the
 * links are not shown.
 * @public
 */
export const removeAccessTemplateRouteRef = createExternalRouteRef({
  id: 'irsa-remove-access-template',
  optional: true,
  params: ['namespace', 'templateName'],
  defaultTarget: 'scaffolder.selectedTemplate',
});

/**
 * The platform overview (`/irsa`): every ServiceAccount backstage-irsa manages, on every
 * cluster, and the leftovers (needs `irsa.overview.read`).
 * @public
 */
export const overviewRouteRef = createRouteRef({
  id: 'irsa-overview',
});
