import { buildTrustPolicy } from './buildTrustPolicy';
import { lintTrustPolicy, LintTrustPolicyInput } from './lintTrustPolicy';
import {
  AUD,
  HOST_PATH,
  OTHER_HOST_PATH,
  OTHER_PROVIDER_ARN,
  policy,
  PROVIDER_ARN,
  statement,
  SUB,
  SUBJECT,
} from './__fixtures__/trustFixtures';

const sa = { namespace: 'payments', name: 'api' };
const lint = (p: unknown, extra: Partial<LintTrustPolicyInput> = {}) =>
  lintTrustPolicy({
    policy: p as object,
    providerArn: PROVIDER_ARN,
    serviceAccount: sa,
    ...extra,
  });
const codes = (p: unknown, extra: Partial<LintTrustPolicyInput> = {}) =>
  lint(p, extra).findings.map(f => `${f.code}:${f.severity}`);

describe('lintTrustPolicy', () => {
  it('finds nothing wrong with the builder’s policy', () => {
    const built = buildTrustPolicy({
      providerArn: PROVIDER_ARN,
      subjects: [sa],
    });
    const result = lint(built.ok && built.value);
    expect(result.findings).toEqual([]);
    expect(result.evaluation?.decision).toBe('allow');
  });

  it('S1: audience-only trust lets any ServiceAccount in', () => {
    const result = lint(
      policy(statement({ StringEquals: { [AUD]: 'sts.amazonaws.com' } })),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'S1',
        severity: 'error',
        statementIndex: 0,
        message: expect.stringMatching(
          /any ServiceAccount in the cluster can assume this role/,
        ),
      }),
    ]);
  });

  it('S1 is semantic: a negated subject condition is as broad', () => {
    expect(
      codes(
        policy(
          statement({
            StringEquals: { [AUD]: 'sts.amazonaws.com' },
            StringNotEquals: { [SUB]: 'system:serviceaccount:kube-system:x' },
          }),
        ),
      ),
    ).toEqual(['S1:error']);
  });

  it('S1 and S3: no conditions at all', () => {
    expect(codes(policy(statement()))).toEqual(['S1:error', 'S3:error']);
  });

  it('S2: wildcard names in a fixed namespace warn, wildcard namespaces are errors', () => {
    expect(
      codes(
        policy(
          statement({
            StringEquals: { [AUD]: 'sts.amazonaws.com' },
            StringLike: { [SUB]: 'system:serviceaccount:payments:a*' },
          }),
        ),
      ),
    ).toEqual(['S2:warning']);
    expect(
      codes(
        policy(
          statement({
            StringEquals: { [AUD]: 'sts.amazonaws.com' },
            StringLike: { [SUB]: 'system:serviceaccount:*:api' },
          }),
        ),
      ),
    ).toEqual(['S2:error']);
    expect(
      codes(
        policy(
          statement({
            StringEquals: { [AUD]: 'sts.amazonaws.com' },
            StringLike: { [SUB]: 'system:serviceaccount:*' },
          }),
        ),
      ),
    ).toEqual(['S2:error', 'S1:error']);
    expect(
      codes(
        policy(
          statement({
            StringEquals: { [AUD]: 'sts.amazonaws.com' },
            StringLike: { [SUB]: '*:api' },
          }),
        ),
      ),
    ).toEqual(['S2:error']);
  });

  it('S3: missing audience condition', () => {
    const result = lint(
      policy(statement({ StringEquals: { [SUB]: SUBJECT } })),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'S3',
        statementIndex: 0,
        message: expect.stringMatching(
          /audience is not pinned.*"sts.amazonaws.com"/,
        ),
      }),
    ]);
  });

  it('S4: set operators on sub or aud', () => {
    expect(
      codes(
        policy(
          statement({
            'ForAnyValue:StringEquals': {
              [SUB]: SUBJECT,
              [AUD]: 'sts.amazonaws.com',
            },
          }),
        ),
      ),
    ).toEqual(['S4:warning', 'S4:warning']);
  });

  it('F4: keys written with https:// or an ARN prefix', () => {
    const keys = policy(
      statement({
        StringEquals: {
          [`https://${HOST_PATH}:sub`]: SUBJECT,
          [`${PROVIDER_ARN}:aud`]: 'sts.amazonaws.com',
        },
      }),
    );
    const found = codes(keys);
    expect(found.slice(0, 2)).toEqual(['F4:error', 'F4:error']);
    expect(found).toContain('F3:error');
  });

  it('F5: wildcards under StringEquals are literal', () => {
    const result = lint(
      policy(
        statement({
          StringEquals: {
            [AUD]: 'sts.amazonaws.com',
            [SUB]: ['system:serviceaccount:payments:*', SUBJECT],
          },
        }),
      ),
    );
    expect(result.findings.map(f => f.code)).toEqual(['F5']);
    expect(result.findings[0].message).toContain(
      '"system:serviceaccount:payments:*"',
    );
  });

  it('F3: trust for another cluster’s issuer only', () => {
    const other = buildTrustPolicy({
      providerArn: OTHER_PROVIDER_ARN,
      subjects: [sa],
    });
    const result = lint(other.ok && other.value);
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'F3',
        message: expect.stringMatching(
          `trusts only other issuers \\(${OTHER_PROVIDER_ARN}\\)`,
        ),
      }),
    ]);
  });

  it('F3: the ServiceAccount is not the one trusted, with the evaluator’s explanation', () => {
    const result = lint(
      policy(
        statement({
          StringEquals: {
            [AUD]: 'sts.amazonaws.com',
            [SUB]: 'system:serviceaccount:payments:web',
          },
        }),
      ),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'F3',
        message: expect.stringMatching(
          /does not allow system:serviceaccount:payments:api.*Statement\[0\] Allow does not apply/,
        ),
      }),
    ]);
  });

  it('F3 on an explicit deny', () => {
    const built = buildTrustPolicy({
      providerArn: PROVIDER_ARN,
      subjects: [sa],
    });
    const withDeny = built.ok && {
      ...built.value,
      Statement: [
        ...(built.value.Statement as any[]),
        { ...statement(), Effect: 'Deny' },
      ],
    };
    expect(codes(withDeny)).toEqual(['F3:error']);
  });

  it('P7: an undecidable trust is a warning that suggests Verify', () => {
    const result = lint(
      policy(
        statement({
          StringEquals: {
            [AUD]: 'sts.amazonaws.com',
            [SUB]: SUBJECT,
            'aws:SourceIp': '1.2.3.4',
          },
        }),
      ),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'P7',
        severity: 'warning',
        message: expect.stringMatching(/Use Verify/),
      }),
    ]);
  });

  it('P7: a malformed policy is reported with its problems, and size still checked', () => {
    const result = lint(
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRoleWithWebIdentity',
            Resource: '*',
            Principal: { Federated: PROVIDER_ARN },
          },
        ],
      },
      { sizeLimit: 10 },
    );
    expect(result.evaluation).toBeUndefined();
    expect(result.findings.map(f => f.code)).toEqual(['P7', 'F18']);
    expect(result.findings[0].message).toMatch(/trust policy has no Resource/);
  });

  it('F18: over the size quota', () => {
    const built = buildTrustPolicy({
      providerArn: PROVIDER_ARN,
      subjects: Array.from({ length: 60 }, (_, i) => ({
        namespace: 'payments',
        name: `api-${i}`,
      })).concat(sa),
    });
    const result = lint(built.ok && built.value);
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'F18',
        message: expect.stringMatching(/over the 2048-character quota/),
      }),
    ]);
    expect(lint(built.ok && built.value, { sizeLimit: 4096 }).findings).toEqual(
      [],
    );
  });

  it('counts another cluster’s trust in its own right', () => {
    const both = policy(
      statement({
        StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: SUBJECT },
      }),
      statement(
        { StringEquals: { [`${OTHER_HOST_PATH}:aud`]: 'sts.amazonaws.com' } },
        { Principal: { Federated: OTHER_PROVIDER_ARN } },
      ),
    );
    // Audience-only trust for the other cluster is not visible from this cluster's requests.
    expect(codes(both)).toEqual([]);
  });

  it('uses the audience it is given', () => {
    const built = buildTrustPolicy({
      providerArn: PROVIDER_ARN,
      subjects: [sa],
      audience: 'custom',
    });
    expect(codes(built.ok && built.value, { audience: 'custom' })).toEqual([]);
    expect(codes(built.ok && built.value)).toEqual(['F3:error']);
  });

  it('treats Principal "*" and NotAction statements as trusting this provider', () => {
    const open = policy(
      statement(
        {
          StringEquals: {
            [AUD]: 'sts.amazonaws.com',
            [SUB]: 'system:serviceaccount:payments:web',
          },
        },
        { Principal: '*', Action: undefined, NotAction: 'sts:AssumeRole' },
      ),
    );
    expect(codes(open)).toEqual(['F3:error']);
    expect(lint(open).findings[0].message).toMatch(/does not allow/);
  });
});
