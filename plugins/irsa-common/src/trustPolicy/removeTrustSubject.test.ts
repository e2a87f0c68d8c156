import { buildTrustStatement } from './buildTrustPolicy';
import {
  HOST_PATH,
  OTHER_HOST_PATH,
  OTHER_PROVIDER_ARN,
  PROVIDER_ARN,
} from './__fixtures__/trustFixtures';
import { removeTrustSubject } from './removeTrustSubject';
import { PolicyDocument, PolicyStatement } from './types';

function built(
  providerArn: string,
  subjects: Array<
    | { namespace: string; name: string }
    | { namespace: string; namePattern: string }
  >,
): PolicyStatement {
  const result = buildTrustStatement({
    providerArn,
    subjects,
    allowPatterns: true,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});
const API = { namespace: 'payments', name: 'api' };

function removal(policy: PolicyDocument, providerArn = PROVIDER_ARN) {
  const result = removeTrustSubject(policy, providerArn, API);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

describe('removeTrustSubject', () => {
  it('leaves no Allow statement when the ServiceAccount was the only one trusted', () => {
    const result = removal(doc(built(PROVIDER_ARN, [API])));
    expect(result).toEqual({
      policy: doc(),
      removed: true,
      stillTrusted: [],
    });
  });

  it("keeps the cluster's other ServiceAccounts, rebuilt without this one", () => {
    const result = removal(
      doc(
        built(PROVIDER_ARN, [API, { namespace: 'payments', name: 'worker' }]),
      ),
    );
    expect(result.removed).toBe(true);
    expect(result.policy).toEqual(
      doc(built(PROVIDER_ARN, [{ namespace: 'payments', name: 'worker' }])),
    );
    expect(result.stillTrusted).toEqual([
      `system:serviceaccount:payments:worker via ${HOST_PATH}`,
    ]);
  });

  it("drops the cluster's statement but keeps another cluster's and foreign statements", () => {
    const ec2: PolicyStatement = {
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    };
    const other = built(OTHER_PROVIDER_ARN, [API]);
    const result = removal(doc(built(PROVIDER_ARN, [API]), other, ec2));
    expect(result.policy).toEqual(doc(other, ec2));
    expect(result.stillTrusted).toEqual([
      `system:serviceaccount:payments:api via ${OTHER_HOST_PATH}`,
      'a statement for {"Service":"ec2.amazonaws.com"}',
    ]);
  });

  it('keeps a name pattern the ServiceAccount matches: it stands for others too', () => {
    const policy = doc(
      built(PROVIDER_ARN, [{ namespace: 'payments', namePattern: 'ap*' }]),
    );
    const result = removal(policy);
    expect(result.removed).toBe(false);
    expect(result.policy).toBe(policy);
    expect(result.stillTrusted).toEqual([
      `system:serviceaccount:payments:ap* via ${HOST_PATH}`,
    ]);
  });

  it('changes nothing when the ServiceAccount is not trusted on this cluster', () => {
    const policy = doc(built(OTHER_PROVIDER_ARN, [API]));
    const result = removal(policy);
    expect(result.removed).toBe(false);
    expect(result.policy).toBe(policy);
  });

  it('counts a role with only Deny statements left as trusting nobody', () => {
    const deny: PolicyStatement = {
      Effect: 'Deny',
      Principal: '*',
      Action: 'sts:AssumeRole',
    };
    const result = removal(doc(built(PROVIDER_ARN, [API]), deny));
    expect(result.policy).toEqual(doc(deny));
    expect(result.stillTrusted).toEqual([]);
  });
});
