import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Prove, as the template's last step, that pods using payments/payments-api receive the role, waiting out IAM propagation",
    example: yaml.stringify({
      steps: [
        {
          id: 'verify',
          action: 'aws:irsa:verify',
          name: 'Verify the access',
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
            title: 'AWS access verified',
            content:
              'AWS says pods of payments-api are ${{ steps.verify.output.assumedRoleArn }}',
          },
        ],
      },
    }),
  },
  {
    description:
      'Verify a cross-account role, waiting up to two minutes for IAM propagation',
    example: yaml.stringify({
      steps: [
        {
          id: 'verify',
          action: 'aws:irsa:verify',
          name: 'Verify the access',
          input: {
            cluster: 'sandbox',
            namespace: 'payments',
            serviceAccount: 'payments-api',
            entityRef: 'component:default/payments-api',
            accountId: '222222222222',
            waitSeconds: 120,
          },
        },
      ],
    }),
  },
];
