import {
  formatOidcProviderArn,
  formatRoleArn,
  parseArn,
  parseOidcProviderArn,
  parsePolicyArn,
  parseRoleArn,
} from './arn';

describe('parseRoleArn', () => {
  it.each([
    [
      'arn:aws:iam::123456789012:role/payments-api',
      {
        partition: 'aws',
        accountId: '123456789012',
        path: '/',
        name: 'payments-api',
      },
    ],
    [
      'arn:aws:iam::123456789012:role/irsa/team-a/payments-api',
      {
        partition: 'aws',
        accountId: '123456789012',
        path: '/irsa/team-a/',
        name: 'payments-api',
      },
    ],
    [
      'arn:aws-cn:iam::123456789012:role/x',
      { partition: 'aws-cn', accountId: '123456789012', path: '/', name: 'x' },
    ],
    [
      'arn:aws-us-gov:iam::012345678901:role/a+b=c,d.e@f_g-h',
      {
        partition: 'aws-us-gov',
        accountId: '012345678901',
        path: '/',
        name: 'a+b=c,d.e@f_g-h',
      },
    ],
  ])('parses %s', (arn, expected) => {
    expect(parseRoleArn(arn)).toEqual({ ok: true, value: expected });
  });

  it('round-trips through formatRoleArn', () => {
    for (const arn of [
      'arn:aws:iam::123456789012:role/payments-api',
      'arn:aws-cn:iam::123456789012:role/a/b/c',
    ]) {
      const parsed = parseRoleArn(arn);
      expect(parsed.ok && formatRoleArn(parsed.value)).toBe(arn);
    }
    expect(
      formatRoleArn({ partition: 'aws', accountId: '123456789012', name: 'x' }),
    ).toBe('arn:aws:iam::123456789012:role/x');
  });

  it.each([
    ['not an arn', /six colon-separated parts/],
    ['arn:aws:iam::123456789012', /six colon-separated parts/],
    [
      'arn:aws-iso:iam::123456789012:role/x',
      /supported partitions are "aws", "aws-cn", "aws-us-gov"/,
    ],
    ['arn:aws::::role/x', /has no service/],
    ['arn:aws:iam::123456789012:', /has no resource/],
    ['arn:aws:sts::123456789012:role/x', /must be an IAM ARN/],
    ['arn:aws:iam:eu-west-1:123456789012:role/x', /IAM is global/],
    ['arn:aws:iam::12345:role/x', /exactly 12 digits/],
    ['arn:aws:iam::123456789012:user/x', /must start with "role\/"/],
    ['arn:aws:iam::123456789012:role/', /role name is empty/],
    ['arn:aws:iam::123456789012:role/bad name', /contains " "/],
    [
      'arn:aws:iam::123456789012:role/p a/x',
      /role path "\/p a\/" is not valid/,
    ],
  ])('reports %s', (arn, message) => {
    const result = parseRoleArn(arn);
    expect(result.ok).toBe(false);
    expect(
      !result.ok && result.problems.map(p => p.message).join('\n'),
    ).toMatch(message);
  });

  it('reports every problem at once, each with a valid example', () => {
    const result = parseRoleArn('arn:aws:sts:eu-west-1:12:user/x');
    expect(!result.ok && result.problems.length).toBe(4);
    for (const p of !result.ok ? result.problems : []) {
      expect(p.field).toBe('roleArn');
      expect(p.message).toMatch(/for example/);
    }
  });
});

describe('parseArn', () => {
  it('keeps colons inside the resource', () => {
    expect(
      parseArn('arn:aws:logs:eu-west-1:123456789012:log-group:/x:*'),
    ).toEqual({
      ok: true,
      value: {
        partition: 'aws',
        service: 'logs',
        region: 'eu-west-1',
        accountId: '123456789012',
        resource: 'log-group:/x:*',
      },
    });
  });
});

describe('OIDC provider ARNs', () => {
  const arn =
    'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC';
  it('parses and formats', () => {
    const parsed = parseOidcProviderArn(arn);
    expect(parsed).toEqual({
      ok: true,
      value: {
        partition: 'aws',
        accountId: '123456789012',
        hostPath: 'oidc.eks.eu-west-1.amazonaws.com/id/ABC',
      },
    });
    expect(parsed.ok && formatOidcProviderArn(parsed.value)).toBe(arn);
  });
  it.each([
    'arn:aws:iam::123456789012:role/x',
    'arn:aws:iam::123456789012:oidc-provider/',
    'arn:aws:iam::1:oidc-provider/x',
    'oidc.eks.eu-west-1.amazonaws.com/id/ABC',
  ])('rejects %s', value => {
    expect(parseOidcProviderArn(value).ok).toBe(false);
  });
});

describe('parsePolicyArn', () => {
  it.each([
    [
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      { accountId: 'aws', path: '/', name: 'AmazonS3ReadOnlyAccess' },
    ],
    [
      'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM',
      { accountId: 'aws', path: '/service-role/', name: 'AmazonEC2RoleforSSM' },
    ],
    [
      'arn:aws-cn:iam::123456789012:policy/team/s3-read',
      { accountId: '123456789012', path: '/team/', name: 's3-read' },
    ],
  ])('parses %s', (arn, expected) => {
    expect(parsePolicyArn(arn)).toEqual({
      ok: true,
      value: expect.objectContaining(expected),
    });
  });
  it.each([
    ['arn:aws:iam::aws:role/x', /must start with "policy\/"/],
    ['arn:aws:iam::aws:policy/', /policy name ""/],
    ['arn:aws:iam::aws:policy/a b', /policy name "a b"/],
    ['arn:aws:iam::1234:policy/x', /12 digits/],
    ['arn:aws:s3:::bucket', /must be an IAM ARN/],
    ['arn:aws:iam::aws:policy/p a/x', /policy path/],
    ['policy/x', /six colon-separated/],
  ])('reports %s', (arn, message) => {
    const result = parsePolicyArn(arn);
    expect(
      !result.ok && result.problems.map(p => p.message).join('\n'),
    ).toMatch(message);
  });
});
