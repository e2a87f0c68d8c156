import {
  validateInlinePolicies,
  validateInlinePolicyDocument,
  validateTrustPolicyDocument,
} from './policyDocuments';

const s3Read = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::payments', 'arn:aws:s3:::payments/*'],
    },
  ],
};

const messages = (r: {
  ok: boolean;
  problems?: { message: string; field: string }[];
}) => (r.ok ? [] : r.problems!).map(p => `${p.field}: ${p.message}`);

describe('inline permissions policies', () => {
  it('accepts a valid policy as object or text', () => {
    expect(validateInlinePolicyDocument(s3Read)).toEqual({ ok: true });
    expect(
      validateInlinePolicyDocument(JSON.stringify(s3Read, null, 2)),
    ).toEqual({ ok: true });
    expect(
      validateInlinePolicyDocument({
        Statement: {
          Effect: 'Deny',
          NotAction: 's3:*',
          NotResource: '*',
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      }),
    ).toEqual({ ok: true });
  });

  it.each([
    ['{"Version":"2012-10-17"', /not valid JSON/],
    [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }],
      },
      /exactly one of Resource and NotResource/,
    ],
    [
      { Statement: [{ ...s3Read.Statement[0], Principal: '*' }] },
      /permissions policy has no Principal/,
    ],
    [
      { Statement: [{ ...s3Read.Statement[0], Action: 's3 GetObject' }] },
      /"<service>:<action>"/,
    ],
    [
      { Statement: [{ ...s3Read.Statement[0], Effect: 'Permit' }] },
      /"Allow" or "Deny"/,
    ],
    [
      { Statement: [{ ...s3Read.Statement[0], Condition: 'x' }] },
      /a Condition is a map/,
    ],
    [
      {
        Statement: [
          { ...s3Read.Statement[0], Condition: { StringEquals: {} } },
        ],
      },
      /maps one or more condition keys/,
    ],
    [
      {
        Statement: [
          {
            ...s3Read.Statement[0],
            Condition: { StringEquals: { 'aws:x': null } },
          },
        ],
      },
      /a condition value is a string/,
    ],
    [
      { Statement: [{ ...s3Read.Statement[0], Resource: [] }] },
      /non-empty list/,
    ],
    [
      { Statement: [{ ...s3Read.Statement[0], Sid: 7 }] },
      /Sid contains only ASCII letters and digits/,
    ],
    [{ Statement: ['x'] }, /each statement is a JSON object/],
    [{ Statement: [s3Read.Statement[0]], Id: 3 }, /Id is a string/],
    [
      { Statement: [s3Read.Statement[0]], Extra: 1 },
      /top-level element "Extra"/,
    ],
    [
      { Version: 2012, Statement: [s3Read.Statement[0]] },
      /Version must be "2012-10-17"/,
    ],
    [{}, /has no statements/],
    ['"text"', /a policy document is a JSON object/],
    [
      '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::\u2603"}]}',
      /U\+2603.*U\+0020–U\+00FF/,
    ],
  ])('reports %j', (doc, message) => {
    expect(
      messages(validateInlinePolicyDocument(doc as object)).join('\n'),
    ).toMatch(message);
  });

  it('checks the aggregate size of a role’s inline policies, names, and duplicates', () => {
    const big = {
      ...s3Read,
      Statement: [
        {
          ...s3Read.Statement[0],
          Resource: `arn:aws:s3:::${'b'.repeat(6000)}`,
        },
      ],
    };
    const result = validateInlinePolicies([
      { name: 'a', document: big },
      { name: 'a', document: big },
      { name: 'bad name', document: s3Read },
    ]);
    const all = messages(result);
    expect(all).toEqual([
      expect.stringMatching(/^inlinePolicies\[1\]\.name: .*used twice/),
      expect.stringMatching(/^inlinePolicies\[2\]\.name: .*contains " "/),
      expect.stringMatching(
        /^inlinePolicies: .*total \d+ characters.*at most 10240/,
      ),
    ]);
    expect(validateInlinePolicies([{ name: 'a', document: big }])).toEqual({
      ok: true,
    });
    expect(validateInlinePolicyDocument(big, { sizeLimit: 5000 }).ok).toBe(
      false,
    );
  });

  it('prefixes problems of one of several policies with its index', () => {
    const result = validateInlinePolicies([
      { name: 'a', document: s3Read },
      { name: 'b', document: { Statement: [] } },
    ]);
    expect(messages(result)).toEqual([
      expect.stringMatching(/^inlinePolicies\[1\]\.Statement: /),
    ]);
  });
});

describe('trust policy documents', () => {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: {
          Federated: 'arn:aws:iam::123456789012:oidc-provider/x.example.com',
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
      },
    ],
  };
  it('validates grammar and size together', () => {
    expect(validateTrustPolicyDocument(trust)).toEqual({ ok: true });
    const result = validateTrustPolicyDocument(
      { ...trust, Statement: [{ ...trust.Statement[0], Resource: '*' }] },
      { sizeLimit: 50 },
    );
    expect(messages(result)).toEqual([
      expect.stringMatching(/trust policy has no Resource/),
      expect.stringMatching(/quota is 50/),
    ]);
  });
});
