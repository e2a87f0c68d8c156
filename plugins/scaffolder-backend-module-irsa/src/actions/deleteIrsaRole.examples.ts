import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Remove the AWS access of payments/payments-api: the role its eks.amazonaws.com/role-arn annotation names, then the ServiceAccount (or, if it was adopted, only backstage-irsa's fields on it)",
    example: yaml.stringify({
      steps: [
        {
          id: 'remove',
          action: 'aws:irsa:delete-role',
          name: 'Remove the AWS access',
          input: {
            cluster: 'sandbox',
            namespace: 'payments',
            serviceAccount: 'payments-api',
            entityRef: 'component:default/payments-api',
          },
        },
      ],
      output: {
        text: [
          {
            title: 'AWS access removed',
            content:
              'Role ${{ steps.remove.output.roleArn }} deleted: ${{ steps.remove.output.roleDeleted }}',
          },
        ],
      },
    }),
  },
  {
    description:
      'Remove a named role (an orphan the platform overview lists); a ServiceAccount that uses another role is left as it is',
    example: yaml.stringify({
      steps: [
        {
          id: 'remove',
          action: 'aws:irsa:delete-role',
          name: 'Remove the AWS access',
          input: {
            cluster: 'sandbox',
            namespace: 'payments',
            serviceAccount: 'payments-api',
            entityRef: 'component:default/payments-api',
            roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-payments-api',
          },
        },
      ],
    }),
  },
];
