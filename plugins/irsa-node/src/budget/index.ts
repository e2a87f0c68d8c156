export {
  currentRequestSignal,
  RequestAbandonedError,
  withRequestSignal,
} from './requestSignal';
export { limitedGateway, PeerLimiter } from './peerLimiter';
export { SharedWork } from './sharedWork';
export { onePerKey } from './onePerKey';
