/**
 * Backend plugin for backstage-irsa.
 *
 * @packageDocumentation
 */
export { irsaPlugin as default } from './plugin';
export { createIrsaPolicyDecisions } from './permissionPolicy/irsaPolicyDecisions';
