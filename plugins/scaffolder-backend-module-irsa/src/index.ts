/**
 * Scaffolder module for backstage-irsa.
 *
 * @packageDocumentation
 */
export { scaffolderModuleIrsa as default } from './module';
