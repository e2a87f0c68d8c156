import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Create ServiceAccount payments/payments-api carrying the role made by aws:irsa:create-role',
    example: yaml.stringify({
      steps: [
        {
          id: 'sa',
          action: 'k8s:create-sa',
          name: 'Create the ServiceAccount',
          input: {
            cluster: 'sandbox',
            namespace: 'payments',
            serviceAccount: 'payments-api',
            roleArn: '${{ steps.role.output.roleArn }}',
            entityRef: 'component:default/payments-api',
          },
        },
      ],
    }),
  },
  {
    description:
      "Adopt the ServiceAccount a Helm chart already created: only the role annotation and backstage-irsa's ownership record are added (server-side apply), Helm's fields stay Helm's",
    example: yaml.stringify({
      steps: [
        {
          id: 'sa',
          action: 'k8s:create-sa',
          name: 'Adopt the ServiceAccount',
          input: {
            cluster: 'sandbox',
            namespace: 'payments',
            serviceAccount: 'payments-api',
            roleArn: '${{ steps.role.output.roleArn }}',
            entityRef: 'component:default/payments-api',
            adoptExisting: true,
          },
        },
      ],
    }),
  },
];
