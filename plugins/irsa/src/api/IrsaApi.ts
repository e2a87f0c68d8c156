import { createApiRef } from '@backstage/core-plugin-api';

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
  getClusters(): Promise<IrsaCluster[]>;
}

/** @public */
export const irsaApiRef = createApiRef<IrsaApi>({ id: 'plugin.irsa.service' });
