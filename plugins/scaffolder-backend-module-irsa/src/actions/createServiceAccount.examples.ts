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
];
