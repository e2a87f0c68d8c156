import { buildTrustPolicy, buildTrustStatement } from './buildTrustPolicy';
import { HOST_PATH, PROVIDER_ARN } from './__fixtures__/trustFixtures';
import { validateTrustPolicyDocument } from '../validators/policyDocuments';

const messages = (r: {
  ok: boolean;
  problems?: { message: string; field: string }[];
}) => (r.ok ? [] : r.problems!).map(p => `${p.field}: ${p.message}`);

describe('buildTrustPolicy', () => {
  it('pins sub and aud with StringEquals for exact subjects', () => {
    expect(
      buildTrustPolicy({
        providerArn: PROVIDER_ARN,
        subjects: [{ namespace: 'payments', name: 'api' }],
      }),
    ).toEqual({
      ok: true,
      value: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: PROVIDER_ARN },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                [`${HOST_PATH}:aud`]: 'sts.amazonaws.com',
                [`${HOST_PATH}:sub`]: 'system:serviceaccount:payments:api',
              },
            },
          },
        ],
      },
    });
  });

  it('lists several subjects sorted and de-duplicated, with the given audience', () => {
    const result = buildTrustStatement({
      providerArn: PROVIDER_ARN,
      subjects: [
        { namespace: 'payments', name: 'worker' },
        { namespace: 'payments', name: 'api' },
        { namespace: 'payments', name: 'worker' },
      ],
      audience: 'custom-audience',
    });
    expect(result.ok && result.value.Condition).toEqual({
      StringEquals: {
        [`${HOST_PATH}:aud`]: 'custom-audience',
        [`${HOST_PATH}:sub`]: [
          'system:serviceaccount:payments:api',
          'system:serviceaccount:payments:worker',
        ],
      },
    });
  });

  it('puts every subject under one StringLike when a pattern is allowed, keeping aud exact', () => {
    const result = buildTrustStatement({
      providerArn: PROVIDER_ARN,
      subjects: [
        { namespace: 'crossplane-system', namePattern: 'provider-aws-*' },
        { namespace: 'payments', name: 'api' },
      ],
      allowPatterns: true,
    });
    expect(result.ok && result.value.Condition).toEqual({
      StringEquals: { [`${HOST_PATH}:aud`]: 'sts.amazonaws.com' },
      StringLike: {
        [`${HOST_PATH}:sub`]: [
          'system:serviceaccount:crossplane-system:provider-aws-*',
          'system:serviceaccount:payments:api',
        ],
      },
    });
  });

  it('produces a policy IAM accepts', () => {
    const result = buildTrustPolicy({
      providerArn: PROVIDER_ARN,
      subjects: [{ namespace: 'payments', name: 'api' }],
    });
    expect(result.ok && validateTrustPolicyDocument(result.value)).toEqual({
      ok: true,
    });
  });

  it('refuses patterns unless the caller allows them', () => {
    expect(
      messages(
        buildTrustPolicy({
          providerArn: PROVIDER_ARN,
          subjects: [{ namespace: 'payments', namePattern: 'api-*' }],
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^subjects\[0\]\.namePattern: .*must be enabled explicitly/,
      ),
    ]);
  });

  it.each([
    ['*', /bare "\*"/],
    ['?pi', /must start with a lower-case letter or digit/],
    ['API-*', /lower-case/],
    ['api_*', /only lower-case letters, digits/],
    ['api', /has no wildcard: give it as an exact name/],
  ])('refuses the pattern %j', (pattern, message) => {
    const result = buildTrustPolicy({
      providerArn: PROVIDER_ARN,
      subjects: [{ namespace: 'payments', namePattern: pattern }],
      allowPatterns: true,
    });
    expect(messages(result).join('\n')).toMatch(message);
  });

  it('reports every input problem at once', () => {
    const result = buildTrustPolicy({
      providerArn: 'arn:aws:iam::123456789012:role/x',
      subjects: [
        { namespace: 'Payments', name: 'api' },
        { namespace: 'payments', name: 'API' },
      ],
      audience: 'sts.amazonaws.com ',
    });
    expect(messages(result)).toEqual([
      expect.stringMatching(/^providerArn: .*not an OIDC provider ARN/),
      expect.stringMatching(/^subjects\[0\]\.namespace: .*DNS-1123 label/),
      expect.stringMatching(/^subjects\[1\]\.name: .*DNS-1123 subdomain/),
      expect.stringMatching(/^audience: .*white space/),
    ]);
  });

  it('refuses an empty subject list, which would trust the whole cluster', () => {
    expect(
      messages(buildTrustPolicy({ providerArn: PROVIDER_ARN, subjects: [] })),
    ).toEqual([
      expect.stringMatching(/would trust every ServiceAccount of the cluster/),
    ]);
  });
});
