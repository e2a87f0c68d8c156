import { IRSA_SERVICE_ACCOUNTS_ANNOTATION } from './constants';
import type { EntityWithAnnotations } from './isIrsaAvailable';
import { KUBERNETES_NAMESPACE_ANNOTATION } from './ownership/namespaceOwnership';
import { parseServiceAccountsAnnotation } from './serviceAccountsAnnotation';
import {
  namespaceProblems,
  serviceAccountNameProblems,
} from './validators/kubernetesNames';

/**
 * What the "Request AWS access" template's form is opened with from an entity's page: the
 * parameter names of examples/templates/request-aws-access. Only values the form would
 * accept are filled; the rest is left for the developer.
 *
 * @public
 */
export interface RequestAccessFormData {
  entity: string;
  cluster?: string;
  namespace?: string;
  serviceAccount?: string;
  roleName?: string;
}

/**
 * Prefills the template from what the entity already says: its Kubernetes namespace, and
 * the first ServiceAccount its `irsa.backstage.io/service-accounts` annotation names (the
 * one the card reports on), else a ServiceAccount and role named after the entity.
 *
 * @public
 */
export function requestAccessFormData(
  entity: EntityWithAnnotations & { metadata: { name: string } },
  entityRef: string,
): RequestAccessFormData {
  const annotations = entity.metadata.annotations ?? {};
  const data: RequestAccessFormData = { entity: entityRef };
  const claimed = annotations[IRSA_SERVICE_ACCOUNTS_ANNOTATION];
  const parsed = claimed ? parseServiceAccountsAnnotation(claimed) : undefined;
  const first = parsed?.ok ? parsed.value[0] : undefined;
  const namespace =
    annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() || first?.namespace;
  if (namespace && namespaceProblems(namespace, 'namespace').length === 0) {
    data.namespace = namespace;
  }
  if (first?.cluster) data.cluster = first.cluster;
  const name = entity.metadata.name;
  const serviceAccount =
    first && (!data.namespace || first.namespace === data.namespace)
      ? first.name
      : name;
  if (
    serviceAccountNameProblems(serviceAccount, 'serviceAccount').length === 0
  ) {
    data.serviceAccount = serviceAccount;
  }
  // The platform's prefix is added by the action; the entity's name is the usual choice.
  if (/^[A-Za-z0-9+=,.@_-]{1,64}$/.test(name)) data.roleName = name;
  return data;
}
