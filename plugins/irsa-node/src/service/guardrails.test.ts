import { guardrailProblems } from './guardrails';

const guardrails = {
  allowedNamespaces: ['team-*', 'payments'],
  deniedNamespaces: ['team-secret'],
  allowedPolicyArns: [
    'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    'arn:aws:iam::111111111111:policy/team-*',
  ],
  roleNamePrefix: 'irsa-',
  rolePath: '/irsa/',
  maxSessionDurationSeconds: 3600,
  trustPolicySizeLimit: 2048,
};

describe('guardrailProblems', () => {
  it('passes a request inside every limit', () => {
    expect(
      guardrailProblems(
        {
          namespace: 'team-a',
          policyArns: ['arn:aws:iam::111111111111:policy/team-a-read'],
        },
        guardrails,
      ),
    ).toEqual([]);
  });

  it('lets a denied namespace win over an allowed pattern', () => {
    expect(
      guardrailProblems(
        { namespace: 'team-secret', policyArns: [] },
        guardrails,
      ),
    ).toEqual([
      {
        field: 'namespace',
        message:
          'Namespace "team-secret" may not receive AWS roles: it matches "team-secret" in irsa.guardrails.deniedNamespaces.',
      },
    ]);
  });

  it('reports a namespace outside the allowed list and every policy not allowed', () => {
    const problems = guardrailProblems(
      {
        namespace: 'kube-system',
        policyArns: [
          'arn:aws:iam::aws:policy/AdministratorAccess',
          'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
          'arn:aws:iam::aws:policy/IAMFullAccess',
        ],
      },
      guardrails,
    );
    expect(problems.map(p => p.field)).toEqual([
      'namespace',
      'policyArns',
      'policyArns',
    ]);
    expect(problems[1].message).toContain('AdministratorAccess');
    expect(problems[2].message).toContain('IAMFullAccess');
  });

  it('allows every namespace but no policy by default', () => {
    const open = {
      ...guardrails,
      allowedNamespaces: [],
      allowedPolicyArns: [],
    };
    expect(
      guardrailProblems({ namespace: 'anything', policyArns: [] }, open),
    ).toEqual([]);
    expect(
      guardrailProblems(
        {
          namespace: 'anything',
          policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        },
        open,
      )[0].message,
    ).toContain('none are allowed yet');
  });
});

describe('guardrailProblems: presets and patterns', () => {
  it("checks each preset's managed policies against the allow-list, naming the preset", () => {
    expect(
      guardrailProblems(
        {
          namespace: 'team-a',
          policyArns: [],
          presetPolicyArns: [
            {
              index: 1,
              preset: 'admin',
              arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
            },
            {
              index: 2,
              preset: 's3',
              arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
            },
          ],
        },
        guardrails,
      ),
    ).toEqual([
      {
        field: 'presets[1].name',
        message: expect.stringMatching(
          /^Preset "admin" attaches arn:aws:iam::aws:policy\/AdministratorAccess, which is not in irsa.guardrails.allowedPolicyArns/,
        ),
      },
    ]);
  });

  it('refuses a ServiceAccount pattern unless allowServiceAccountPatterns', () => {
    const request = {
      namespace: 'team-a',
      policyArns: [],
      serviceAccountPattern: 'worker-*',
    };
    expect(guardrailProblems(request, guardrails)).toEqual([
      {
        field: 'serviceAccountPattern',
        message: expect.stringContaining(
          'irsa.guardrails.allowServiceAccountPatterns is off',
        ),
      },
    ]);
    expect(
      guardrailProblems(request, {
        ...guardrails,
        allowServiceAccountPatterns: true,
      }),
    ).toEqual([]);
  });
});
