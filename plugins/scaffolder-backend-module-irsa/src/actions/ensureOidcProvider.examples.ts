import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Register the cluster's ServiceAccount issuer as an IAM OIDC provider in its account",
    example: yaml.stringify({
      steps: [
        {
          id: 'oidc',
          action: 'aws:oidc:ensure',
          name: 'Ensure the IAM OIDC provider',
          input: { cluster: 'sandbox' },
        },
      ],
    }),
  },
  {
    description: 'Use the cluster the user picked in the form',
    example: yaml.stringify({
      steps: [
        {
          id: 'oidc',
          action: 'aws:oidc:ensure',
          name: 'Ensure the IAM OIDC provider',
          input: { cluster: '${{ parameters.cluster }}' },
        },
      ],
    }),
  },
];
