/**
 * Backend plugin for backstage-irsa.
 *
 * @packageDocumentation
 */
export { irsaPlugin as default } from './plugin';
