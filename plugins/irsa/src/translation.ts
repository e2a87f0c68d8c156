import { createTranslationRef } from '@backstage/core-plugin-api/alpha';

/**
 * Every user-facing string of the IRSA card, so adopters can translate or reword them.
 * @alpha
 */
export const irsaTranslationRef = createTranslationRef({
  id: 'irsa',
  messages: {
    card: {
      title: 'AWS access (IRSA)',
      loadError: 'Could not load the IRSA clusters',
      columns: {
        serviceAccount: 'ServiceAccount',
        cluster: 'Cluster',
        account: 'AWS account',
        region: 'Region',
      },
      unknownCluster: 'not configured in irsa.clusters',
      invalidAnnotation:
        'The irsa.backstage.io/service-accounts annotation has problems',
      noServiceAccounts: {
        title: 'No ServiceAccounts named for this service',
        description:
          'Run the "Request AWS access" template, or name the ServiceAccounts that carry this service\'s AWS role in the irsa.backstage.io/service-accounts annotation, e.g. "prod/payments/payments-api".',
      },
      noClusters: 'No IRSA clusters are configured on this Backstage.',
    },
  },
});
