import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { configApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { requestAccessFormData } from '@backstage-irsa/plugin-irsa-common';
import { requestAccessTemplateRouteRef } from '../../routes';

/**
 * App config key naming the template the card's "Request AWS access" opens; default
 * `template:default/request-aws-access`, the example template.
 */
export const REQUEST_ACCESS_TEMPLATE_CONFIG_KEY = 'irsa.requestAccessTemplate';
const DEFAULT_TEMPLATE = 'template:default/request-aws-access';

/**
 * The link that opens the "Request AWS access" template with the form filled from the
 * entity (the scaffolder reads `?formData=`), or undefined when the app has no scaffolder
 * route to bind it to.
 */
export function useRequestAccessLink(entity: Entity): string | undefined {
  const route = useRouteRef(requestAccessTemplateRouteRef);
  const configured = useApi(configApiRef).getOptionalString(
    REQUEST_ACCESS_TEMPLATE_CONFIG_KEY,
  );
  if (!route) return undefined;
  const template = parseEntityRef(configured ?? DEFAULT_TEMPLATE, {
    defaultKind: 'template',
    defaultNamespace: 'default',
  });
  const formData = requestAccessFormData(entity, stringifyEntityRef(entity));
  return `${route({
    namespace: template.namespace,
    templateName: template.name,
  })}?formData=${encodeURIComponent(JSON.stringify(formData))}`;
}
