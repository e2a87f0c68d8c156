import { ConfigReader } from '@backstage/config';
import { readIrsaConfig } from './readIrsaConfig';
import { IrsaConfigError } from './IrsaConfigError';

const validCluster = {
  name: 'prod-eu',
  accountId: '111111111111',
  region: 'eu-west-1',
  eksClusterName: 'prod',
  kubernetes: { url: 'https://k8s.example.com', serviceAccountToken: 't' },
};

function problemsOf(data: object): string[] {
  try {
    readIrsaConfig(new ConfigReader(data));
  } catch (e) {
    expect(e).toBeInstanceOf(IrsaConfigError);
    return [...(e as IrsaConfigError).problems];
  }
  throw new Error('expected readIrsaConfig to throw');
}

describe('readIrsaConfig', () => {
  it('reads irsa.outbound, with defaults, and names bad keys', () => {
    const pem =
      '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n';
    expect(
      readIrsaConfig(new ConfigReader({ irsa: { clusters: [validCluster] } }))
        .outbound,
    ).toEqual({
      allowedHosts: [],
      caCertificates: [],
      timeoutMs: 5000,
      maxResponseBytes: 1048576,
    });
    expect(
      readIrsaConfig(
        new ConfigReader({
          irsa: {
            clusters: [validCluster],
            outbound: {
              allowedHosts: ['127.0.0.1', '10.0.0.0/8', 'Issuer.Internal'],
              caData: Buffer.from(pem).toString('base64'),
              timeoutSeconds: 2,
              maxResponseBytes: 4096,
            },
          },
        }),
      ).outbound,
    ).toEqual({
      allowedHosts: ['127.0.0.1', '10.0.0.0/8', 'issuer.internal'],
      caCertificates: [pem],
      timeoutMs: 2000,
      maxResponseBytes: 4096,
    });
    expect(
      problemsOf({
        irsa: {
          clusters: [validCluster],
          outbound: {
            allowedHosts: ['10.0.0.0/33', 'https://x', '::1/129'],
            caData: 'bm90IGEgY2VydA==',
            timeoutSeconds: 0,
            maxResponseBytes: 'big',
          },
        },
      }),
    ).toEqual([
      'irsa.outbound.allowedHosts: "10.0.0.0/33" is not a host name, IP address or CIDR range',
      'irsa.outbound.allowedHosts: "https://x" is not a host name, IP address or CIDR range',
      'irsa.outbound.allowedHosts: "::1/129" is not a host name, IP address or CIDR range',
      'irsa.outbound.caData: must be base64 of a PEM certificate bundle',
      'irsa.outbound.timeoutSeconds: must be a whole number from 1 to 60',
      'irsa.outbound.maxResponseBytes: must be a whole number from 1024 to 16777216',
    ]);
  });

  it('reads a valid section and applies guardrail defaults', () => {
    const config = readIrsaConfig(
      new ConfigReader({ irsa: { clusters: [validCluster] } }),
    );
    expect(config.clusters).toEqual([
      {
        name: 'prod-eu',
        accountId: '111111111111',
        region: 'eu-west-1',
        eksClusterName: 'prod',
        oidcIssuer: undefined,
        allowedAccountIds: [],
        kubernetes: {
          url: 'https://k8s.example.com',
          caData: undefined,
          caFile: undefined,
          serviceAccountToken: 't',
          dangerouslySkipTLSVerify: false,
          source: 'irsa',
        },
      },
    ]);
    expect(config.guardrails).toEqual({
      allowedNamespaces: [],
      deniedNamespaces: [],
      allowedPolicyArns: [],
      permissionsBoundaryArn: undefined,
      roleNamePrefix: '',
      rolePath: '/',
      maxSessionDurationSeconds: 3600,
      trustPolicySizeLimit: 2048,
      allowAllActionsOnAllResources: false,
      allowServiceAccountPatterns: false,
    });
    expect(config.presets).toEqual([]);
  });

  it('reads the two guardrails that widen what a request may ask for', () => {
    const config = readIrsaConfig(
      new ConfigReader({
        irsa: {
          clusters: [validCluster],
          guardrails: {
            allowAllActionsOnAllResources: true,
            allowServiceAccountPatterns: true,
          },
        },
      }),
    );
    expect(config.guardrails).toMatchObject({
      allowAllActionsOnAllResources: true,
      allowServiceAccountPatterns: true,
    });
    expect(
      problemsOf({
        irsa: {
          clusters: [validCluster],
          guardrails: {
            allowAllActionsOnAllResources: 'yes',
            allowServiceAccountPatterns: 1,
          },
        },
      }),
    ).toEqual([
      'irsa.guardrails.allowAllActionsOnAllResources: must be true or false',
      'irsa.guardrails.allowServiceAccountPatterns: must be true or false',
    ]);
  });

  it('reads irsa.presets, with defaults', () => {
    const inlinePolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [
            'arn:${partition}:s3:::${bucket}',
            'arn:${partition}:s3:::${bucket}/*',
          ],
        },
      ],
    };
    const config = readIrsaConfig(
      new ConfigReader({
        irsa: {
          clusters: [validCluster],
          presets: [
            {
              name: 's3-read-bucket',
              title: 'Read one S3 bucket',
              description: 'GetObject and ListBucket on the bucket you name.',
              inlinePolicy,
              parameters: [
                {
                  name: 'bucket',
                  title: 'Bucket name',
                  pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
                },
              ],
            },
            {
              name: 'dynamodb-read',
              title: 'Read DynamoDB',
              policyArns: [
                'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess',
              ],
            },
          ],
        },
      }),
    );
    expect(config.presets).toEqual([
      {
        name: 's3-read-bucket',
        title: 'Read one S3 bucket',
        description: 'GetObject and ListBucket on the bucket you name.',
        policyArns: [],
        inlinePolicy,
        parameters: [
          {
            name: 'bucket',
            title: 'Bucket name',
            description: '',
            pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
          },
        ],
      },
      {
        name: 'dynamodb-read',
        title: 'Read DynamoDB',
        description: '',
        policyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess'],
        parameters: [],
      },
    ]);
  });

  it('stops the backend on a broken preset, naming irsa.presets[i]', () => {
    expect(
      problemsOf({
        irsa: {
          clusters: [validCluster],
          presets: [
            { name: 'empty', title: 'Grants nothing' },
            {
              name: 'broken',
              title: 'Broken',
              inlinePolicy: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }],
              },
            },
            {
              name: 'typo',
              title: 'Typo',
              inlinePolicy: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 's3:GetObject',
                    Resource: 'arn:aws:s3:::${buckt}/*',
                  },
                ],
              },
              parameters: [{ name: 'bucket', title: 'Bucket', pattern: '(' }],
            },
            {
              name: 'empty',
              title: 'Twice',
              policyArns: ['arn:aws:iam::aws:policy/X'],
            },
            { title: 'No name', inlinePolicy: 'not an object' },
          ],
        },
      }),
    ).toEqual([
      'irsa.presets[0].policyArns: The preset grants nothing: give policyArns (managed policies), an inlinePolicy, or both.',
      expect.stringMatching(
        /^irsa\.presets\[1\]\.inlinePolicy\.Statement\[0\]: Statement\[0\] has neither Resource and NotResource/,
      ),
      expect.stringMatching(
        /^irsa\.presets\[2\]\.parameters\[0\]\.pattern: The pattern "\(" is not a valid regular expression/,
      ),
      expect.stringMatching(
        /^irsa\.presets\[2\]\.inlinePolicy: The inline policy uses \$\{buckt\}, which is neither a parameter/,
      ),
      expect.stringMatching(
        /^irsa\.presets\[2\]\.parameters\[0\]\.name: The parameter "bucket" is never used/,
      ),
      'irsa.presets[3].name: preset name "empty" is used twice',
      'irsa.presets[4].name: is required',
      'irsa.presets[4].inlinePolicy: must be an IAM policy document (an object with Version and Statement)',
    ]);
  });

  it('names the missing section', () => {
    expect(problemsOf({})).toEqual([
      expect.stringMatching(/^irsa: the section is missing/),
    ]);
  });

  it('reports every problem of every cluster at once, each with its key', () => {
    const problems = problemsOf({
      irsa: {
        clusters: [
          { ...validCluster, accountId: '12345', region: 'Europe' },
          {
            name: 'Bad_Name',
            accountId: '222222222222',
            region: 'us-east-1',
            kubernetes: { url: 'http://plain.example.com' },
          },
        ],
        guardrails: {
          rolePath: 'irsa',
          maxSessionDurationSeconds: 60,
          trustPolicySizeLimit: 8192,
        },
      },
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^irsa\.clusters\[0\]\.accountId: "12345" must be a 12-digit/,
      ),
      expect.stringMatching(
        /^irsa\.clusters\[0\]\.region: "Europe" is not an AWS region/,
      ),
      expect.stringMatching(
        /^irsa\.clusters\[1\]\.name: "Bad_Name" must be lowercase/,
      ),
      'irsa.clusters[1]: give `eksClusterName` or `oidcIssuer`',
      'irsa.clusters[1].kubernetes.url: must use https (got "http://plain.example.com")',
      expect.stringMatching(
        /^irsa\.guardrails\.rolePath: "irsa" must start and end/,
      ),
      'irsa.guardrails.maxSessionDurationSeconds: must be a whole number of seconds from 3600 to 43200',
      'irsa.guardrails.trustPolicySizeLimit: must be a whole number of characters from 2048 (the default quota) to 4096 (the most IAM allows)',
    ]);
  });

  it('rejects an empty cluster list and duplicate names', () => {
    expect(problemsOf({ irsa: { clusters: [] } })).toEqual([
      'irsa.clusters: list at least one cluster',
    ]);
    expect(
      problemsOf({ irsa: { clusters: [validCluster, validCluster] } }),
    ).toEqual(['irsa.clusters: cluster name "prod-eu" is used twice']);
  });

  it('reuses a kubernetes.clusterLocatorMethods cluster by name', () => {
    const config = readIrsaConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'prod',
                  url: 'https://prod.example.com',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'secret',
                  caData: 'Q0E=',
                },
              ],
            },
          ],
        },
        irsa: {
          clusters: [{ ...validCluster, kubernetes: { clusterRef: 'prod' } }],
        },
      }),
    );
    expect(config.clusters[0].kubernetes).toEqual({
      url: 'https://prod.example.com',
      caData: 'Q0E=',
      caFile: undefined,
      serviceAccountToken: 'secret',
      dangerouslySkipTLSVerify: false,
      source: 'kubernetes:prod',
    });
  });

  it('explains an unknown or unusable clusterRef', () => {
    const base = {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'aws-auth', url: 'https://a', authProvider: 'oidc' },
            ],
          },
        ],
      },
    };
    expect(
      problemsOf({
        ...base,
        irsa: {
          clusters: [{ ...validCluster, kubernetes: { clusterRef: 'nope' } }],
        },
      }),
    ).toEqual([
      'irsa.clusters[0].kubernetes.clusterRef: no cluster "nope" in kubernetes.clusterLocatorMethods (type config); known: aws-auth',
    ]);
    expect(
      problemsOf({
        ...base,
        irsa: {
          clusters: [
            { ...validCluster, kubernetes: { clusterRef: 'aws-auth' } },
          ],
        },
      }),
    ).toEqual([
      'irsa.clusters[0].kubernetes.clusterRef: cluster "aws-auth" (kubernetes.clusterLocatorMethods[0].clusters[0].authProvider) uses authProvider "oidc", which authenticates as the signed-in user; the IRSA backend also acts without a user (scaffolder tasks, the catalog card), so it cannot use it; supported: "serviceAccount", "aws"',
    ]);
  });

  /** An IRSA config whose one cluster reuses the Kubernetes plugin's entry `entry`. */
  function withEntry(entry: object, cluster: object = validCluster) {
    return {
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          {
            type: 'config',
            clusters: [
              { name: 'eks', url: 'https://eks.example.com', ...entry },
            ],
          },
        ],
      },
      irsa: {
        clusters: [{ ...cluster, kubernetes: { clusterRef: 'eks' } }],
      },
    };
  }

  it('reuses an authProvider aws cluster: an EKS token for its cluster id, region and role', () => {
    const read = (entry: object, cluster?: object) =>
      readIrsaConfig(new ConfigReader(withEntry(entry, cluster))).clusters[0]
        .kubernetes;
    // The Kubernetes plugin's own keys, as its ConfigClusterLocator reads them.
    expect(
      read({
        authProvider: 'aws',
        caData: 'Q0E=',
        authMetadata: {
          'kubernetes.io/aws-assume-role':
            'arn:aws:iam::111111111111:role/backstage-eks',
          'kubernetes.io/aws-external-id': 'ext-1',
          'kubernetes.io/x-k8s-aws-id': 'prod-eks',
        },
      }),
    ).toEqual({
      url: 'https://eks.example.com',
      caData: 'Q0E=',
      caFile: undefined,
      dangerouslySkipTLSVerify: false,
      source: 'kubernetes:eks',
      aws: {
        clusterId: 'prod-eks',
        region: 'eu-west-1',
        assumeRole: 'arn:aws:iam::111111111111:role/backstage-eks',
        externalId: 'ext-1',
      },
    });
    // No x-k8s-aws-id: the IRSA cluster's eksClusterName, else the entry's name.
    expect(read({ authProvider: 'aws' }).aws).toEqual({
      clusterId: 'prod',
      region: 'eu-west-1',
    });
    expect(
      read(
        { authProvider: 'aws' },
        { ...validCluster, eksClusterName: undefined, oidcIssuer: 'https://i' },
      ).aws,
    ).toEqual({ clusterId: 'eks', region: 'eu-west-1' });
    // The legacy top-level keys, and the provider named in authMetadata.
    const legacy = read({
      authMetadata: { 'kubernetes.io/auth-provider': 'aws' },
      assumeRole: 'arn:aws:iam::222222222222:role/r',
      externalId: 'x',
      serviceAccountToken: 'never-used',
    });
    expect(legacy.aws).toEqual({
      clusterId: 'prod',
      region: 'eu-west-1',
      assumeRole: 'arn:aws:iam::222222222222:role/r',
      externalId: 'x',
    });
    expect(legacy.serviceAccountToken).toBeUndefined();
  });

  it('reads a serviceAccount token from authMetadata too, as the Kubernetes plugin does', () => {
    const config = readIrsaConfig(
      new ConfigReader(
        withEntry({
          authProvider: 'serviceAccount',
          authMetadata: { serviceAccountToken: 'from-metadata' },
        }),
      ),
    );
    expect(config.clusters[0].kubernetes.serviceAccountToken).toBe(
      'from-metadata',
    );
    expect(config.clusters[0].kubernetes.aws).toBeUndefined();
  });

  it('refuses, at start, the auth providers the backend cannot use, naming the key', () => {
    const key = 'irsa.clusters[0].kubernetes.clusterRef: cluster "eks"';
    const entry = 'kubernetes.clusterLocatorMethods[1].clusters[0]';
    for (const provider of ['oidc', 'google', 'aks']) {
      expect(problemsOf(withEntry({ authProvider: provider }))).toEqual([
        `${key} (${entry}.authProvider) uses authProvider "${provider}", which authenticates as the signed-in user; the IRSA backend also acts without a user (scaffolder tasks, the catalog card), so it cannot use it; supported: "serviceAccount", "aws"`,
      ]);
    }
    for (const provider of [
      'azure',
      'googleServiceAccount',
      'localKubectlProxy',
      'pinniped',
    ]) {
      expect(problemsOf(withEntry({ authProvider: provider }))).toEqual([
        `${key} (${entry}.authProvider) uses authProvider "${provider}", which backstage-irsa does not support; supported: "serviceAccount", "aws"`,
      ]);
    }
    // Named in authMetadata, as the Kubernetes plugin also allows.
    expect(
      problemsOf(
        withEntry({ authMetadata: { 'kubernetes.io/auth-provider': 'oidc' } }),
      ),
    ).toHaveLength(1);
    expect(problemsOf(withEntry({}))).toEqual([
      `${key} (${entry}.authProvider) has no authProvider; supported: "serviceAccount", "aws"`,
    ]);
    expect(
      problemsOf(
        withEntry({
          authProvider: 'aws',
          authMetadata: { 'kubernetes.io/aws-assume-role': 'backstage-eks' },
        }),
      ),
    ).toEqual([
      `${key} (${entry}.authMetadata.kubernetes.io/aws-assume-role): "backstage-eks" is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)`,
    ]);
    expect(
      problemsOf(
        withEntry({
          authProvider: 'aws',
          authMetadata: { 'kubernetes.io/aws-external-id': 'x' },
        }),
      ),
    ).toEqual([
      `${key} (${entry}.authMetadata.kubernetes.io/aws-external-id) is set without kubernetes.io/aws-assume-role: an external id is only sent with an AssumeRole`,
    ]);
  });

  it('never puts a secret into a problem message', () => {
    const problems = problemsOf({
      irsa: {
        clusters: [
          {
            ...validCluster,
            accountId: 'x',
            kubernetes: {
              url: 'http://k8s',
              serviceAccountToken: 'super-secret-token',
            },
          },
        ],
      },
    });
    expect(problems.join('\n')).not.toContain('super-secret-token');
  });

  it('reads ownership, accounts, kinds and verify limits, with defaults', () => {
    const defaults = readIrsaConfig(
      new ConfigReader({ irsa: { clusters: [validCluster] } }),
    );
    expect(defaults.entityKinds).toEqual(['component']);
    expect(defaults.namespaceOwnership).toEqual({ source: 'annotation' });
    expect(defaults.verifyRateLimit).toEqual({
      perUser: { limit: 10, windowSeconds: 60 },
      perEntity: { limit: 30, windowSeconds: 60 },
    });
    const set = readIrsaConfig(
      new ConfigReader({
        irsa: {
          clusters: [{ ...validCluster, allowedAccountIds: ['222222222222'] }],
          entityKinds: ['Component', 'Resource'],
          namespaceOwnership: {
            source: 'config',
            namespaces: [{ name: 'pay-*', owners: ['team-payments'] }],
          },
          verify: { rateLimit: { perUser: { limit: 3, windowSeconds: 10 } } },
        },
      }),
    );
    expect(set.clusters[0].allowedAccountIds).toEqual(['222222222222']);
    expect(set.entityKinds).toEqual(['component', 'resource']);
    expect(set.namespaceOwnership).toEqual({
      source: 'config',
      namespaces: [{ name: 'pay-*', owners: ['team-payments'] }],
    });
    expect(set.verifyRateLimit.perUser).toEqual({
      limit: 3,
      windowSeconds: 10,
    });
  });

  it('names every bad ownership, account and limit key', () => {
    expect(
      problemsOf({
        irsa: {
          clusters: [{ ...validCluster, allowedAccountIds: ['123'] }],
          entityKinds: [],
          namespaceOwnership: {
            source: 'config',
            namespaces: [{ name: 'x', owners: [] }],
          },
          verify: {
            rateLimit: { perEntity: { limit: 0, windowSeconds: 1.5 } },
          },
        },
      }),
    ).toEqual([
      'irsa.clusters[0].allowedAccountIds[0]: "123" must be a 12-digit AWS account id (quote it in YAML)',
      'irsa.entityKinds: list at least one kind, e.g. Component',
      'irsa.namespaceOwnership.namespaces[0].owners: list at least one owner',
      'irsa.verify.rateLimit.perEntity.limit: must be a whole number >= 1',
      'irsa.verify.rateLimit.perEntity.windowSeconds: must be a whole number >= 1',
    ]);
    expect(
      problemsOf({
        irsa: {
          clusters: [validCluster],
          namespaceOwnership: { source: 'labels' },
        },
      }),
    ).toEqual([
      'irsa.namespaceOwnership.source: must be "annotation" or "config"',
    ]);
  });
});
