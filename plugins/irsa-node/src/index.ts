/**
 * Node library for backstage-irsa: the validated `irsa` configuration and, in time, the
 * IRSA operations behind narrow AWS and Kubernetes gateways.
 *
 * @packageDocumentation
 */
export * from './config';
