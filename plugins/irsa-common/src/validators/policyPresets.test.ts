import {
  PolicyPreset,
  policyPresetProblems,
  presetSelectionProblems,
  resolvePresets,
} from './policyPresets';

const S3_READ_BUCKET: PolicyPreset = {
  name: 's3-read-bucket',
  title: 'Read one S3 bucket',
  description: 'GetObject and ListBucket on the bucket you name.',
  policyArns: [],
  inlinePolicy: {
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
  },
  parameters: [
    {
      name: 'bucket',
      title: 'Bucket name',
      description: 'The bucket the service reads.',
      pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    },
  ],
};
const DYNAMO: PolicyPreset = {
  name: 'dynamodb-read',
  title: 'Read DynamoDB',
  description: '',
  policyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess'],
  parameters: [],
};
const SCOPED: PolicyPreset = {
  name: 'own-prefix',
  title: 'Own prefix',
  description: '',
  policyArns: [],
  inlinePolicy: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource:
          'arn:${partition}:ssm:${region}:${accountId}:parameter/${namespace}/${serviceAccount}/*',
        Condition: {
          StringEquals: { 'aws:PrincipalTag/team': '${aws:PrincipalTag/team}' },
        },
      },
    ],
  },
  parameters: [],
};
const PRESETS = [S3_READ_BUCKET, DYNAMO, SCOPED];
const CONTEXT = {
  partition: 'aws-cn',
  accountId: '111111111111',
  region: 'cn-north-1',
  namespace: 'payments',
  serviceAccount: 'payments-api',
};

describe('resolvePresets', () => {
  it('substitutes parameters and built-ins into string values, leaving IAM policy variables alone', () => {
    const result = resolvePresets(
      [
        { name: 's3-read-bucket', parameters: { bucket: 'payments-reports' } },
        { name: 'dynamodb-read' },
        { name: 'own-prefix' },
      ],
      PRESETS,
      CONTEXT,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        policyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess'],
        inlinePolicies: [
          {
            name: 'preset-s3-read-bucket',
            preset: 's3-read-bucket',
            document: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['s3:GetObject', 's3:ListBucket'],
                  Resource: [
                    'arn:aws-cn:s3:::payments-reports',
                    'arn:aws-cn:s3:::payments-reports/*',
                  ],
                },
              ],
            },
          },
          {
            name: 'preset-own-prefix',
            preset: 'own-prefix',
            document: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'ssm:GetParameter',
                  Resource:
                    'arn:aws-cn:ssm:cn-north-1:111111111111:parameter/payments/payments-api/*',
                  Condition: {
                    StringEquals: {
                      'aws:PrincipalTag/team': '${aws:PrincipalTag/team}',
                    },
                  },
                },
              ],
            },
          },
        ],
      },
    });
  });

  it('never changes the document structure: a value that looks like JSON stays a string', () => {
    const preset: PolicyPreset = {
      ...S3_READ_BUCKET,
      parameters: [{ ...S3_READ_BUCKET.parameters[0], pattern: '.+' }],
    };
    const result = resolvePresets(
      [
        {
          name: 's3-read-bucket',
          parameters: { bucket: 'x","Resource":"arn' },
        },
      ],
      [preset],
      CONTEXT,
    );
    expect(result.ok).toBe(true);
    const doc = result.ok ? result.value.inlinePolicies[0].document : undefined;
    expect((doc?.Statement as any)[0].Resource).toEqual([
      'arn:aws-cn:s3:::x","Resource":"arn',
      'arn:aws-cn:s3:::x","Resource":"arn/*',
    ]);
  });

  it('refuses wildcards and policy variables in values whatever the pattern says', () => {
    const preset: PolicyPreset = {
      ...S3_READ_BUCKET,
      parameters: [{ ...S3_READ_BUCKET.parameters[0], pattern: '.*' }],
    };
    for (const bucket of ['*', 'a?', '${aws:username}', 'a b']) {
      const result = resolvePresets(
        [{ name: 's3-read-bucket', parameters: { bucket } }],
        [preset],
        CONTEXT,
      );
      expect(!result.ok && result.problems).toEqual([
        {
          field: 'presets[0].parameters.bucket',
          message: expect.stringContaining('never "*", "?", "$", "{" or "}"'),
        },
      ]);
    }
  });

  it('names every problem of a selection at its field', () => {
    const result = resolvePresets(
      [
        { name: 'admin' },
        {
          name: 's3-read-bucket',
          parameters: { bucket: 'Bad_Bucket', region: 'x' },
        },
        { name: 's3-read-bucket' },
        { name: 'dynamodb-read', parameters: { table: 't' } },
      ],
      PRESETS,
      CONTEXT,
    );
    expect(!result.ok && result.problems).toEqual([
      {
        field: 'presets[0].name',
        message:
          '"admin" is not a preset of this platform (presets: s3-read-bucket, dynamodb-read, own-prefix); ask your platform team to add it.',
      },
      {
        field: 'presets[1].parameters.region',
        message:
          'The preset "s3-read-bucket" takes no parameter "region"; it takes "bucket".',
      },
      {
        field: 'presets[1].parameters.bucket',
        message:
          'Bucket name "Bad_Bucket" does not match ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ (The bucket the service reads.).',
      },
      {
        field: 'presets[2].name',
        message:
          'The preset "s3-read-bucket" is selected twice: select each preset once.',
      },
      {
        field: 'presets[2].parameters.bucket',
        message:
          'The preset "s3-read-bucket" needs "bucket" (Bucket name: The bucket the service reads.), matching ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$.',
      },
      {
        field: 'presets[3].parameters.table',
        message:
          'The preset "dynamodb-read" takes no parameter "table"; it takes no parameters.',
      },
    ]);
  });

  it('matches the whole value even when the pattern is not anchored', () => {
    const preset: PolicyPreset = {
      ...S3_READ_BUCKET,
      parameters: [{ ...S3_READ_BUCKET.parameters[0], pattern: '[a-z]+' }],
    };
    const pick = (bucket: string) =>
      resolvePresets(
        [{ name: 's3-read-bucket', parameters: { bucket } }],
        [preset],
        CONTEXT,
      ).ok;
    expect(pick('reports')).toBe(true);
    expect(pick('reports-2')).toBe(false);
  });

  it('refuses Allow of Action "*" on Resource "*" unless the guardrail allows it', () => {
    const admin: PolicyPreset = {
      name: 'admin',
      title: 'Administrator',
      description: '',
      policyArns: [],
      inlinePolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', Action: '*', Resource: '*' },
          { Effect: 'Allow', Action: ['s3:*'], Resource: '*' },
          {
            Effect: 'Allow',
            Action: ['sqs:SendMessage', '*'],
            Resource: ['*'],
          },
        ],
      },
      parameters: [],
    };
    const refused = resolvePresets([{ name: 'admin' }], [admin], CONTEXT);
    expect(!refused.ok && refused.problems).toEqual([
      {
        field: 'presets[0].inlinePolicy.Statement[2]',
        message: expect.stringContaining(
          'allows Action "*" on Resource "*" (every action on every resource, administrator access), which irsa.guardrails.allowAllActionsOnAllResources does not allow',
        ),
      },
    ]);
    expect(
      resolvePresets([{ name: 'admin' }], [admin], CONTEXT, {
        allowAllActionsOnAllResources: true,
      }).ok,
    ).toBe(true);
  });

  it("checks each rendered policy's size and the role's aggregate inline quota", () => {
    const big = (name: string, n: number): PolicyPreset => ({
      name,
      title: name,
      description: '',
      policyArns: [],
      inlinePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: Array.from(
              { length: n },
              (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(5, '0')}/*`,
            ),
          },
        ],
      },
      parameters: [],
    });
    // ~32 characters per resource: 200 fit alone, two of them do not fit together.
    const presets = [big('a', 200), big('b', 200), big('c', 400)];
    expect(resolvePresets([{ name: 'a' }], presets, CONTEXT).ok).toBe(true);
    const both = resolvePresets(
      [{ name: 'a' }, { name: 'b' }],
      presets,
      CONTEXT,
    );
    expect(!both.ok && both.problems).toEqual([
      {
        field: 'presets',
        message: expect.stringMatching(
          /^The presets' inline policies total \d+ characters .* at most 10240\./,
        ),
      },
    ]);
    const alone = resolvePresets([{ name: 'c' }], presets, CONTEXT);
    expect(!alone.ok && alone.problems.map(p => p.field)).toEqual([
      'presets[0].inlinePolicy',
      'presets',
    ]);
  });

  it('needs a ServiceAccount name for a preset that uses it', () => {
    const result = resolvePresets([{ name: 'own-prefix' }], PRESETS, {
      ...CONTEXT,
      serviceAccount: undefined,
    });
    expect(!result.ok && result.problems).toEqual([
      {
        field: 'presets[0].name',
        message: expect.stringContaining('needs serviceAccount'),
      },
    ]);
  });
});

describe('presetSelectionProblems', () => {
  it('says when the platform has no presets', () => {
    expect(presetSelectionProblems([{ name: 'x' }], [])).toEqual([
      {
        field: 'presets[0].name',
        message:
          '"x" is not a preset of this platform (none is configured in irsa.presets); ask your platform team to add it.',
      },
    ]);
  });
});

describe('policyPresetProblems', () => {
  it('passes the presets above', () => {
    for (const preset of PRESETS)
      expect(policyPresetProblems(preset)).toEqual([]);
  });

  it('names every configuration problem', () => {
    expect(
      policyPresetProblems({
        name: 'Bad Name',
        title: 'x',
        description: '',
        policyArns: ['arn:aws:iam::aws:role/x'],
        inlinePolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::${bucket}/${prefix}',
            },
          ],
        },
        parameters: [
          { name: 'bucket', title: 'B', description: '', pattern: '([' },
          { name: 'bucket', title: 'B', description: '', pattern: '.+' },
          { name: 'region', title: 'R', description: '', pattern: '.+' },
          { name: 'unused', title: 'U', description: '', pattern: '.+' },
        ],
      }).map(p => p.field),
    ).toEqual([
      'name',
      'policyArns[0]',
      'parameters[0].pattern',
      'parameters[1].name',
      'parameters[2].name',
      'inlinePolicy',
      'parameters[3].name',
      'inlinePolicy',
    ]);
  });

  it('refuses a preset that grants nothing, and a broken inline policy', () => {
    expect(
      policyPresetProblems({ ...DYNAMO, policyArns: [] }).map(p => p.message),
    ).toEqual([
      'The preset grants nothing: give policyArns (managed policies), an inlinePolicy, or both.',
    ]);
    expect(
      policyPresetProblems({
        ...SCOPED,
        inlinePolicy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow' }],
        },
      }).map(p => p.field),
    ).toEqual(['inlinePolicy.Statement[0]', 'inlinePolicy.Statement[0]']);
  });
});
