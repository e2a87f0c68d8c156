import fc from 'fast-check';
import {
  canonicalizePolicyDocument,
  canonicalPolicyJson,
  policyDocumentsEquivalent,
} from './canonicalPolicy';
import { evaluateTrustPolicy } from './evaluateTrustPolicy';
import {
  AMR,
  AUD,
  PROVIDER_ARN,
  OTHER_PROVIDER_ARN,
  request,
  SUB,
} from './__fixtures__/trustFixtures';
import { PolicyDocument } from './types';

describe('canonical policy form', () => {
  it('orders elements, sorts and de-duplicates lists, and writes lone values as strings', () => {
    const messy = {
      Statement: {
        Condition: {
          StringLike: { [SUB]: ['b*', 'a*', 'b*'] },
          StringEquals: { [AUD]: ['sts.amazonaws.com'], [AMR]: [true] },
        },
        Action: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'],
        Principal: { Federated: [PROVIDER_ARN], AWS: '*' },
        Effect: 'Allow',
        Sid: 'A',
      },
      Version: '2012-10-17',
    } as unknown as PolicyDocument;
    expect(canonicalPolicyJson(messy)).toBe(
      JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'A',
              Effect: 'Allow',
              Principal: { AWS: '*', Federated: PROVIDER_ARN },
              Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
              Condition: {
                StringEquals: { [AMR]: 'true', [AUD]: 'sts.amazonaws.com' },
                StringLike: { [SUB]: ['a*', 'b*'] },
              },
            },
          ],
        },
        null,
        2,
      ),
    );
  });

  it('keeps statement order and unknown elements (sorted, after the known ones)', () => {
    const doc = {
      Zed: 1,
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: '*', Extra: 'x' },
        {
          Effect: 'Allow',
          NotPrincipal: { AWS: ['b', 'a'] },
          NotAction: 'x:y',
          Resource: ['r'],
          NotResource: 'n',
        },
      ],
    } as unknown as PolicyDocument;
    const canonical = canonicalizePolicyDocument(doc) as any;
    expect(Object.keys(canonical)).toEqual(['Statement', 'Zed']);
    expect(canonical.Statement[0]).toEqual({
      Effect: 'Deny',
      Principal: '*',
      Action: '*',
      Extra: 'x',
    });
    expect(Object.keys(canonical.Statement[1])).toEqual([
      'Effect',
      'NotPrincipal',
      'NotAction',
      'Resource',
      'NotResource',
    ]);
    expect(canonical.Statement[1].NotPrincipal).toEqual({ AWS: ['a', 'b'] });
  });

  it('compares policies by meaning-preserving form', () => {
    const a: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER_ARN },
          Action: ['sts:AssumeRoleWithWebIdentity'],
        },
      ],
    };
    const b: PolicyDocument = {
      Statement: {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: [PROVIDER_ARN] },
        Effect: 'Allow',
      },
      Version: '2012-10-17',
    };
    expect(policyDocumentsEquivalent(a, b)).toBe(true);
    expect(policyDocumentsEquivalent(a, { ...a, Version: '2008-10-17' })).toBe(
      false,
    );
  });

  it('never changes what the evaluator decides', () => {
    const operator = fc.constantFrom(
      'StringEquals',
      'StringNotEquals',
      'StringLike',
      'StringNotLike',
      'ForAnyValue:StringEquals',
      'ForAllValues:StringLike',
      'StringEqualsIfExists',
      'StringEqualsIgnoreCase',
    );
    const key = fc.constantFrom(SUB, AUD, AMR, SUB.toUpperCase());
    const value = fc.constantFrom(
      'system:serviceaccount:payments:api',
      'system:serviceaccount:payments:*',
      'sts.amazonaws.com',
      'a',
      'b',
      '*',
    );
    const values = fc.array(value, { minLength: 1, maxLength: 4 });
    const condition = fc.dictionary(
      operator,
      fc.dictionary(key, values, { minKeys: 1, maxKeys: 2 }),
      { minKeys: 1, maxKeys: 3 },
    );
    const statement = fc.record({
      Effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
      Principal: fc.constantFrom(
        { Federated: PROVIDER_ARN },
        { Federated: [OTHER_PROVIDER_ARN, PROVIDER_ARN, PROVIDER_ARN] },
      ),
      Action: fc.constantFrom('sts:AssumeRoleWithWebIdentity', [
        'sts:*',
        'sts:AssumeRoleWithWebIdentity',
      ]),
      Condition: condition,
    });
    const doc = fc.record({
      Version: fc.constant('2012-10-17'),
      Statement: fc.array(statement, { minLength: 1, maxLength: 3 }),
    });
    const req = fc.record({
      sub: fc.constantFrom(
        'system:serviceaccount:payments:api',
        'system:serviceaccount:other:x',
      ),
      aud: fc.constantFrom('sts.amazonaws.com', 'a'),
      amr: fc.option(fc.array(fc.constantFrom('a', 'b'), { maxLength: 2 }), {
        nil: undefined,
      }),
    });
    expect(() =>
      fc.assert(
        fc.property(doc, req, (policy, r) => {
          const before = evaluateTrustPolicy(policy, request(r));
          const after = evaluateTrustPolicy(
            canonicalizePolicyDocument(policy as PolicyDocument),
            request(r),
          );
          return before.decision === after.decision;
        }),
      ),
    ).not.toThrow();
  });
});
