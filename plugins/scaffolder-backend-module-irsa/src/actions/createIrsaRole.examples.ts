import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Create a role that only ServiceAccount payments/payments-api may assume, with read access to S3',
    example: yaml.stringify({
      steps: [
        {
          id: 'role',
          action: 'aws:irsa:create-role',
          name: 'Create the IAM role',
          input: {
            cluster: 'sandbox',
            namespace: 'payments',
            serviceAccount: 'payments-api',
            roleName: 'payments-api',
            policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
            entityRef: 'component:default/payments-api',
          },
        },
      ],
    }),
  },
  {
    description:
      "Use the platform's presets (irsa.presets): read one S3 bucket, named by a parameter; the inline policy is written as preset-s3-read-bucket",
    example: yaml.stringify({
      steps: [
        {
          id: 'role',
          action: 'aws:irsa:create-role',
          name: 'Create the IAM role',
          input: {
            cluster: 'sandbox',
            namespace: 'payments',
            serviceAccount: 'reports-reader',
            roleName: 'reports-reader',
            presets: [
              {
                name: 's3-read-bucket',
                parameters: { bucket: 'payments-reports' },
              },
            ],
            entityRef: 'component:default/reports-reader',
          },
        },
      ],
    }),
  },
  {
    description:
      'Cross-account: the role lives in another account the cluster allows (irsa.clusters[].allowedAccountIds; run aws:oidc:ensure with the same accountId first)',
    example: yaml.stringify({
      steps: [
        {
          id: 'role',
          action: 'aws:irsa:create-role',
          name: 'Create the IAM role in the data account',
          input: {
            cluster: 'sandbox',
            accountId: '222222222222',
            namespace: 'payments',
            serviceAccount: 'settlement-worker',
            roleName: 'settlement-worker',
            policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
            entityRef: 'component:default/settlement-worker',
          },
        },
      ],
    }),
  },
];
