import { allowAllOnAllProblems } from './inlinePolicyRules';

describe('allowAllOnAllProblems', () => {
  it('finds each Allow of Action "*" on Resource "*", and nothing narrower', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: '*', Resource: '*' },
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' },
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', '*'],
          Resource: ['x', '*'],
        },
      ],
    };
    expect(allowAllOnAllProblems(doc).map(p => p.field)).toEqual([
      'inlinePolicy.Statement[0]',
      'inlinePolicy.Statement[4]',
    ]);
    expect(allowAllOnAllProblems(doc)[0].message).toContain(
      'irsa.guardrails.allowAllActionsOnAllResources',
    );
  });

  it('leaves a document that does not parse to the grammar checks', () => {
    expect(allowAllOnAllProblems({ Statement: 'nope' })).toEqual([]);
  });
});
