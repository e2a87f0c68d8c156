import { buildTrustStatement } from './buildTrustPolicy';
import {
  clusterStatementSubjects,
  isClusterStatement,
  removeClusterStatement,
  upsertClusterStatement,
} from './clusterStatements';
import {
  HOST_PATH,
  OTHER_PROVIDER_ARN,
  PROVIDER_ARN,
} from './__fixtures__/trustFixtures';
import { PolicyDocument, PolicyStatement } from './types';

function built(providerArn: string, name: string): PolicyStatement {
  const result = buildTrustStatement({
    providerArn,
    subjects: [{ namespace: 'payments', name }],
  });
  if (!result.ok) throw new Error('unexpected');
  return result.value;
}

const denyAll: PolicyStatement = {
  Effect: 'Deny',
  Principal: { Federated: PROVIDER_ARN },
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: { StringEquals: { 'aws:SourceIp': '1.2.3.4' } },
};
const ec2: PolicyStatement = {
  Effect: 'Allow',
  Principal: { Service: 'ec2.amazonaws.com' },
  Action: 'sts:AssumeRole',
};

describe('cluster statements', () => {
  it('identifies a cluster statement by an exact Federated principal on an Allow', () => {
    expect(isClusterStatement(built(PROVIDER_ARN, 'api'), PROVIDER_ARN)).toBe(
      true,
    );
    expect(
      isClusterStatement(
        {
          ...built(PROVIDER_ARN, 'api'),
          Principal: { Federated: [PROVIDER_ARN] },
        },
        PROVIDER_ARN,
      ),
    ).toBe(true);
    expect(
      isClusterStatement(built(PROVIDER_ARN, 'api'), OTHER_PROVIDER_ARN),
    ).toBe(false);
    expect(isClusterStatement(denyAll, PROVIDER_ARN)).toBe(false);
    expect(isClusterStatement(ec2, PROVIDER_ARN)).toBe(false);
    expect(isClusterStatement({ ...ec2, Principal: '*' }, PROVIDER_ARN)).toBe(
      false,
    );
    expect(
      isClusterStatement(
        {
          ...ec2,
          Principal: { Federated: [PROVIDER_ARN, OTHER_PROVIDER_ARN] },
        },
        PROVIDER_ARN,
      ),
    ).toBe(false);
    expect(
      isClusterStatement(
        { ...ec2, Principal: { Federated: PROVIDER_ARN, AWS: '*' } },
        PROVIDER_ARN,
      ),
    ).toBe(false);
    expect(
      isClusterStatement(
        {
          ...ec2,
          Principal: undefined,
          NotPrincipal: { Federated: PROVIDER_ARN },
        },
        PROVIDER_ARN,
      ),
    ).toBe(false);
  });

  it('creates a policy when there is none', () => {
    expect(
      upsertClusterStatement(undefined, built(PROVIDER_ARN, 'api')),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [built(PROVIDER_ARN, 'api')],
    });
  });

  it('appends a new cluster and leaves the rest as it was', () => {
    const original: PolicyDocument = {
      Version: '2012-10-17',
      Id: 'x',
      Statement: [ec2, denyAll],
    };
    expect(
      upsertClusterStatement(original, built(PROVIDER_ARN, 'api')),
    ).toEqual({
      Version: '2012-10-17',
      Id: 'x',
      Statement: [ec2, denyAll, built(PROVIDER_ARN, 'api')],
    });
  });

  it('replaces the cluster’s statements in place, merging duplicates into the first', () => {
    const original: PolicyDocument = {
      Statement: [
        built(PROVIDER_ARN, 'old'),
        ec2,
        built(OTHER_PROVIDER_ARN, 'x'),
        built(PROVIDER_ARN, 'older'),
      ],
    };
    expect(
      upsertClusterStatement(original, built(PROVIDER_ARN, 'api')).Statement,
    ).toEqual([
      built(PROVIDER_ARN, 'api'),
      ec2,
      built(OTHER_PROVIDER_ARN, 'x'),
    ]);
  });

  it('accepts a policy whose Statement is a single object', () => {
    expect(
      upsertClusterStatement({ Statement: ec2 }, built(PROVIDER_ARN, 'api'))
        .Statement,
    ).toEqual([ec2, built(PROVIDER_ARN, 'api')]);
    expect(
      removeClusterStatement(
        { Statement: built(PROVIDER_ARN, 'api') },
        PROVIDER_ARN,
      ).Statement,
    ).toEqual([]);
  });

  it('removes only the cluster’s Allow statements', () => {
    const original: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        built(PROVIDER_ARN, 'api'),
        denyAll,
        built(OTHER_PROVIDER_ARN, 'x'),
      ],
    };
    expect(removeClusterStatement(original, PROVIDER_ARN)).toEqual({
      Version: '2012-10-17',
      Statement: [denyAll, built(OTHER_PROVIDER_ARN, 'x')],
    });
  });

  it('refuses a statement that is not a cluster statement', () => {
    expect(() => upsertClusterStatement(undefined, ec2)).toThrow(TypeError);
    expect(() =>
      upsertClusterStatement(undefined, { ...ec2, Principal: '*' }),
    ).toThrow(TypeError);
  });

  it('reads the subjects a cluster statement admits', () => {
    const policy: PolicyDocument = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER_ARN },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { [`${HOST_PATH}:aud`]: 'sts.amazonaws.com' },
            StringLike: {
              [`${HOST_PATH.toUpperCase()}:SUB`]: [
                'system:serviceaccount:payments:api-*',
                'system:serviceaccount:payments:web',
                'not-a-subject',
              ],
            },
          },
        },
        { ...built(PROVIDER_ARN, 'api') },
        denyAll,
        built(OTHER_PROVIDER_ARN, 'x'),
      ],
    };
    expect(clusterStatementSubjects(policy, PROVIDER_ARN)).toEqual([
      { namespace: 'payments', name: 'api' },
      { namespace: 'payments', namePattern: 'api-*' },
      { namespace: 'payments', name: 'web' },
    ]);
    expect(
      clusterStatementSubjects({ Statement: [ec2] }, PROVIDER_ARN),
    ).toEqual([]);
  });
});
