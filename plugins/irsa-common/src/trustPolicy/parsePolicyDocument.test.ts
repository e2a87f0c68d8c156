import { parsePolicyDocument } from './parsePolicyDocument';
import { AUD, PROVIDER_ARN, SUB } from './__fixtures__/trustFixtures';

describe('parsePolicyDocument', () => {
  it('normalises every element to lists and keeps the document', () => {
    const doc = {
      Version: '2012-10-17',
      Id: 'trust',
      Statement: {
        Sid: 'Cluster1',
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [SUB]: 'system:serviceaccount:a:b',
            [AUD]: ['sts.amazonaws.com'],
          },
          Null: { [SUB]: false },
        },
      },
    };
    const result = parsePolicyDocument(doc, 'trust');
    expect(result).toEqual({
      ok: true,
      value: {
        version: '2012-10-17',
        id: 'trust',
        document: doc,
        statements: [
          {
            index: 0,
            sid: 'Cluster1',
            effect: 'Allow',
            principal: { any: false, byType: { Federated: [PROVIDER_ARN] } },
            action: ['sts:AssumeRoleWithWebIdentity'],
            conditions: [
              {
                operator: expect.objectContaining({ base: 'StringEquals' }),
                key: SUB,
                values: ['system:serviceaccount:a:b'],
              },
              {
                operator: expect.objectContaining({ base: 'StringEquals' }),
                key: AUD,
                values: ['sts.amazonaws.com'],
              },
              {
                operator: expect.objectContaining({ base: 'Null' }),
                key: SUB,
                values: ['false'],
              },
            ],
          },
        ],
      },
    });
  });

  it('reads "*" principals and NotPrincipal / NotAction / NotResource', () => {
    const trust = parsePolicyDocument(
      {
        Statement: [
          { Effect: 'Deny', NotPrincipal: '*', NotAction: ['sts:TagSession'] },
        ],
      },
      'trust',
    );
    expect(trust.ok && trust.value.statements[0]).toMatchObject({
      notPrincipal: { any: true },
      notAction: ['sts:TagSession'],
    });
    const identity = parsePolicyDocument(
      {
        Statement: [
          { Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::x' },
        ],
      },
      'identity',
    );
    expect(identity.ok && identity.value.statements[0]).toMatchObject({
      notResource: ['arn:aws:s3:::x'],
    });
  });

  it('explains every problem with the rule and a valid example', () => {
    const result = parsePolicyDocument(
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: {},
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
        ],
      },
      'trust',
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          field: 'Statement[0].Principal',
          message: expect.stringMatching(
            /^Statement\[0\]\.Principal is \{\}: it must be "\*" or a map from principal type \(AWS, Federated, Service, CanonicalUser\) to principals \(for example \{"Version":"2012-10-17".*\}\)\.$/,
          ),
        },
      ],
    });
  });

  it('reports a principal list with an empty entry', () => {
    const result = parsePolicyDocument(
      {
        Statement: [
          { Effect: 'Allow', Principal: { AWS: ['x', ''] }, Action: '*' },
        ],
      },
      'trust',
    );
    expect(!result.ok && result.problems[0].field).toBe(
      'Statement[0].Principal.AWS',
    );
  });
});
