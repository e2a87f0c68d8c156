export { irsaApiRef } from './IrsaApi';
export type { IrsaApi, IrsaCluster } from './IrsaApi';
export { IrsaClient } from './IrsaClient';
