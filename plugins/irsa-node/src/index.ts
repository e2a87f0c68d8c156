/**
 * Node library for backstage-irsa: the validated `irsa` configuration and the IRSA
 * operations behind narrow AWS and Kubernetes gateways.
 *
 * @packageDocumentation
 */
export * from './config';
export * from './aws';
export * from './kubernetes';
export * from './service';
export * from './access';
export { irsaCacheServiceRef, ReadCache } from './cache';
export {
  PeerLimiter,
  RequestAbandonedError,
  withRequestSignal,
} from './budget';
