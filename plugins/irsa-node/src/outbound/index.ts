export * from './guardedFetch';
export * from './issuerDiscovery';
