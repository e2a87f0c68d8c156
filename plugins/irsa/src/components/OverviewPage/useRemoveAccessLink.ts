import { parseEntityRef } from '@backstage/catalog-model';
import { configApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  type OrphanRole,
  removeAccessFormData,
  type RoleGoneServiceAccount,
} from '@backstage-irsa/plugin-irsa-common';
import { useCallback } from 'react';
import { removeAccessTemplateRouteRef } from '../../routes';

/**
 * App config key naming the template the overview's "Remove AWS access" links open;
 * default `template:default/remove-aws-access`, the example template.
 */
export const REMOVE_ACCESS_TEMPLATE_CONFIG_KEY = 'irsa.removeAccessTemplate';
const DEFAULT_TEMPLATE = 'template:default/remove-aws-access';

/**
 * A function giving, for an orphan, the link that opens the "Remove AWS access" template
 * with what is known of it filled in (the scaffolder reads `?formData=`); undefined when
 * the app has no scaffolder route to bind it to, or nothing names the entity.
 */
export function useRemoveAccessLink(): (
  orphan: Partial<OrphanRole> & Partial<RoleGoneServiceAccount>,
) => string | undefined {
  const route = useRouteRef(removeAccessTemplateRouteRef);
  const configured = useApi(configApiRef).getOptionalString(
    REMOVE_ACCESS_TEMPLATE_CONFIG_KEY,
  );
  return useCallback(
    (orphan: Partial<OrphanRole> & Partial<RoleGoneServiceAccount>) => {
      const formData = removeAccessFormData(orphan);
      if (!route || !formData) return undefined;
      const template = parseEntityRef(configured ?? DEFAULT_TEMPLATE, {
        defaultKind: 'template',
        defaultNamespace: 'default',
      });
      return `${route({
        namespace: template.namespace,
        templateName: template.name,
      })}?formData=${encodeURIComponent(JSON.stringify(formData))}`;
    },
    [route, configured],
  );
}
