import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Register the cluster's ServiceAccount issuer as an IAM OIDC provider in its account, for a service the task's user owns",
    example: yaml.stringify({
      steps: [
        {
          id: 'oidc',
          action: 'aws:oidc:ensure',
          name: 'Ensure the IAM OIDC provider',
          input: {
            cluster: 'sandbox',
            entityRef: 'component:default/payments-api',
          },
        },
      ],
    }),
  },
  {
    description:
      'First step of a template: check the whole request (role with its presets, and the ServiceAccount step) before writing anything',
    example: yaml.stringify({
      steps: [
        {
          id: 'oidc',
          action: 'aws:oidc:ensure',
          name: 'Check the request and ensure the IAM OIDC provider',
          input: {
            cluster: '${{ parameters.cluster }}',
            entityRef: '${{ parameters.entity }}',
            namespace: '${{ parameters.namespace }}',
            serviceAccount: '${{ parameters.serviceAccount }}',
            roleName: '${{ parameters.roleName }}',
            policyArns: '${{ parameters.policyArns }}',
            presets: '${{ parameters.presets }}',
          },
        },
      ],
    }),
  },
];
