import { createApiRef } from '@backstage/core-plugin-api';
import type {
  StatusReport,
  VerifyResult,
} from '@backstage-irsa/plugin-irsa-common';

/** A cluster the IRSA backend can bind ServiceAccounts on (no connection details). */
export interface IrsaCluster {
  name: string;
  accountId: string;
  region: string;
  eksClusterName?: string;
  oidcIssuer?: string;
}

/**
 * Client of the IRSA backend (`/api/irsa`).
 * @public
 */
export interface IrsaApi {
  /** The configured clusters, for the template's form fields. */
  getClusters(): Promise<IrsaCluster[]>;
  /**
   * The trust status of every ServiceAccount binding of an entity, as the backend computed
   * it; `entityRef` is `kind:namespace/name` (see `stringifyEntityRef`). The backend may
   * answer from its cache (`irsa.cache`); `fresh` reads every peer anew.
   */
  getStatus(
    entityRef: string,
    options?: { fresh?: boolean },
  ): Promise<StatusReport>;
  /**
   * Live STS verify of one of the entity's ServiceAccounts: who AWS says it is, or why
   * STS refused. Carries no token or credential.
   */
  verify(request: {
    entityRef: string;
    cluster: string;
    namespace: string;
    serviceAccount: string;
  }): Promise<VerifyResult>;
}

/** @public */
export const irsaApiRef = createApiRef<IrsaApi>({ id: 'plugin.irsa.service' });
