import { createTranslationRef } from '@backstage/core-plugin-api/alpha';

/**
 * Every user-facing string of the IRSA template fields, so adopters can translate or
 * reword them. Problems the backend finds arrive in its words (English).
 * @alpha
 */
export const irsaFieldsTranslationRef = createTranslationRef({
  id: 'irsa-fields',
  messages: {
    common: {
      loading: 'Loading…',
      loadError: 'Could not load the choices: {{message}}',
    },
    cluster: {
      label: 'Cluster',
      none: 'No cluster is configured for AWS access; ask your platform team.',
      option: '{{name}} ({{region}}, account {{accountId}})',
    },
    account: {
      label: 'AWS account',
      chooseCluster: 'Choose a cluster first.',
      own: "The cluster's own account ({{accountId}})",
      other: 'Account {{accountId}}',
    },
    namespace: {
      label: 'Namespace',
      chooseFirst: 'Choose the service and the cluster first.',
      none: 'The cluster has no namespace this service may use.',
      refused: '{{name}}: not allowed',
    },
    policies: {
      presetsTitle: 'Permission sets of your platform',
      managedTitle: 'AWS managed policies',
      none: 'Your platform team has not offered any permission sets or policies yet.',
      inlinePolicy: 'Includes a policy written by your platform team.',
      attaches: 'Attaches {{arns}}',
    },
    serviceAccount: {
      label: 'ServiceAccount',
    },
    roleName: {
      label: 'Role name',
      preview: 'The role that will be created',
      finalName: 'Role name in IAM',
      path: 'Path',
      arn: 'ARN',
      trustSubject: 'Only this ServiceAccount may assume it',
      checking: 'Checking…',
    },
  },
});
