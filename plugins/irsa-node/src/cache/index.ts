export { forgettingAfter, ReadCache } from './ReadCache';
export type { Freshness } from './ReadCache';
export { cachingGatewayFactory } from './cachingGateways';
export { irsaCacheServiceRef } from './irsaCacheServiceRef';
