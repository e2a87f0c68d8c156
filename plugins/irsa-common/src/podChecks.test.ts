import {
  podIdentityCheck,
  podInjectionChecks,
  type PodSummary,
  skippedContainerNames,
  staticCredentialsCheck,
  stsEndpointCheck,
  tokenExpirationCheck,
} from './podChecks';

const ROLE = 'arn:aws:iam::111111111111:role/api';
const OTHER = 'arn:aws:iam::111111111111:role/old';

function pod(
  name: string,
  containers: PodSummary['containers'],
  annotations: Record<string, string> = {},
): PodSummary {
  return { name, serviceAccountName: 'api', annotations, containers };
}
const injected = (name: string, envNames: string[] = []) => ({
  name,
  envNames: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', ...envNames],
  roleArn: ROLE,
});
const bare = (name: string, envNames: string[] = []) => ({ name, envNames });

describe('podInjectionChecks (F10, F23)', () => {
  it('passes injected pods; without pods F10 is not applicable yet and F23 has no row', () => {
    expect(podInjectionChecks([], ROLE).checks).toEqual([
      expect.objectContaining({
        code: 'F10',
        status: 'notApplicable',
        detail: expect.stringContaining('No pod runs with this ServiceAccount'),
      }),
    ]);
    const out = podInjectionChecks([pod('p', [injected('app')])], ROLE);
    expect(out.pods).toEqual([{ name: 'p', needsRestart: false }]);
    expect(out.checks.map(c => [c.code, c.status])).toEqual([
      ['F10', 'pass'],
      ['F23', 'pass'],
    ]);
  });

  it('reports a pod without the role (or with an older one) as F10, not F23', () => {
    const out = podInjectionChecks(
      [
        pod('before', [bare('app')]),
        pod('old', [{ ...injected('app'), roleArn: OTHER }]),
      ],
      ROLE,
    );
    expect(out.pods.every(p => p.needsRestart)).toBe(true);
    expect(out.checks[0]).toMatchObject({
      code: 'F10',
      status: 'warn',
      detail: 'Pods without this role in their environment: before, old.',
    });
    expect(out.checks[1]).toMatchObject({ code: 'F23', status: 'pass' });
  });

  it('names skipped containers and containers left out, per pod', () => {
    const out = podInjectionChecks(
      [
        pod('p', [injected('app'), bare('proxy'), bare('late')], {
          'eks.amazonaws.com/skip-containers': 'proxy, late,ghost',
        }),
      ],
      ROLE,
    );
    // " late" (with its space) is not "late": the webhook does not trim.
    expect(out.pods).toEqual([{ name: 'p', needsRestart: true }]);
    expect(out.checks[0]).toMatchObject({ code: 'F10', status: 'pass' });
    expect(out.checks[1].code).toBe('F23');
    expect(out.checks[1].status).toBe('warn');
    expect(out.checks[1].detail).toContain(
      'Skipped by eks.amazonaws.com/skip-containers, so without AWS credentials: p/proxy.',
    );
    expect(out.checks[1].detail).toContain(
      'added after the webhook ran, or AWS_ROLE_ARN set in the spec): p/late.',
    );
    expect(out.checks[1].detail).toContain('" late" (pod p), "ghost" (pod p)');
  });

  it('does not ask to restart a pod whose only gap is a skipped container', () => {
    const out = podInjectionChecks(
      [
        pod('p', [injected('app'), bare('sidecar')], {
          'eks.amazonaws.com/skip-containers': 'sidecar',
        }),
        pod('all-skipped', [bare('only')], {
          'eks.amazonaws.com/skip-containers': 'only',
        }),
      ],
      ROLE,
    );
    expect(out.pods).toEqual([
      { name: 'p', needsRestart: false },
      { name: 'all-skipped', needsRestart: false },
    ]);
    expect(out.checks[0].status).toBe('pass');
    expect(out.checks[1]).toMatchObject({ code: 'F23', status: 'warn' });
  });

  it('mentions a skip list naming no container on a pass', () => {
    const out = podInjectionChecks(
      [
        pod('p', [injected('app')], {
          'eks.amazonaws.com/skip-containers': 'gone',
        }),
      ],
      ROLE,
    );
    expect(out.checks[1]).toMatchObject({ code: 'F23', status: 'pass' });
    expect(out.checks[1].detail).toContain('"gone" (pod p)');
  });

  it('splits the skip list on commas only', () => {
    expect(skippedContainerNames(pod('p', []))).toEqual([]);
    expect(
      skippedContainerNames(
        pod('p', [], { 'eks.amazonaws.com/skip-containers': 'a,b, c' }),
      ),
    ).toEqual(['a', 'b', ' c']);
  });
});

describe('staticCredentialsCheck (F12)', () => {
  it('has no row without pods and passes clean pods', () => {
    expect(staticCredentialsCheck([])).toBeUndefined();
    expect(
      staticCredentialsCheck([pod('p', [injected('app', ['AWS_REGION'])])]),
    ).toMatchObject({ code: 'F12', status: 'pass' });
  });

  it('fails a container with a static key pair, naming pod and container only', () => {
    const check = staticCredentialsCheck([
      pod('p', [
        injected('app', [
          'AWS_ACCESS_KEY_ID',
          'AWS_SECRET_ACCESS_KEY',
          'AWS_SESSION_TOKEN',
        ]),
        bare('tool', ['AWS_PROFILE']),
      ]),
    ])!;
    expect(check).toMatchObject({ code: 'F12', status: 'fail' });
    expect(check.detail).toContain(
      'pod p container app (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)',
    );
    expect(check.detail).toContain(
      'Also set, and possibly overriding the role: pod p container tool (AWS_PROFILE).',
    );
  });

  it('warns on a profile, a credentials file or half a key pair', () => {
    const check = staticCredentialsCheck([
      pod('p', [
        injected('a', ['AWS_SHARED_CREDENTIALS_FILE']),
        injected('b', ['AWS_ACCESS_KEY_ID']),
      ]),
    ])!;
    expect(check).toMatchObject({ code: 'F12', status: 'warn' });
    expect(check.detail).toContain(
      'pod p container a (AWS_SHARED_CREDENTIALS_FILE), pod p container b (AWS_ACCESS_KEY_ID)',
    );
  });
});

describe('stsEndpointCheck (F14)', () => {
  const sts = (name: string, value: string) => ({
    ...injected(name, ['AWS_STS_REGIONAL_ENDPOINTS']),
    stsRegionalEndpoints: value,
  });

  it('passes without settings, and with regional ones', () => {
    expect(stsEndpointCheck({}, [], 'aws')).toMatchObject({
      code: 'F14',
      status: 'pass',
      detail:
        'Neither the ServiceAccount nor a container selects the global STS endpoint.',
    });
    expect(
      stsEndpointCheck(
        { 'eks.amazonaws.com/sts-regional-endpoints': 'True' },
        [pod('p', [sts('app', 'regional')])],
        'aws',
      ),
    ).toMatchObject({ status: 'pass', detail: expect.stringMatching(/asks/) });
  });

  it('warns on "false", a non-boolean and legacy or unknown container values', () => {
    const check = stsEndpointCheck(
      { 'eks.amazonaws.com/sts-regional-endpoints': '0' },
      [pod('p', [sts('a', 'legacy'), sts('b', 'global')])],
      'aws',
    );
    expect(check.status).toBe('warn');
    expect(check.detail).toContain('"0", so the webhook does not inject');
    expect(check.detail).toContain(
      'AWS_STS_REGIONAL_ENDPOINTS=legacy (the global endpoint sts.amazonaws.com) in p/a.',
    );
    expect(check.detail).toContain('neither "regional" nor "legacy" in p/b');
    expect(
      stsEndpointCheck(
        { 'eks.amazonaws.com/sts-regional-endpoints': 'yes' },
        [],
        'aws',
      ).detail,
    ).toContain('is not a boolean; the webhook ignores it');
  });

  it('explains the partition outside aws', () => {
    const check = stsEndpointCheck(
      { 'eks.amazonaws.com/sts-regional-endpoints': 'false' },
      [],
      'aws-cn',
    );
    expect(check.status).toBe('warn');
    expect(check.detail).toContain('The role is in the aws-cn partition');
  });
});

describe('tokenExpirationCheck (F15)', () => {
  const key = 'eks.amazonaws.com/token-expiration';

  it('passes without annotations and with values in range', () => {
    expect(tokenExpirationCheck({}, [pod('p', [])])).toMatchObject({
      code: 'F15',
      status: 'pass',
      detail: expect.stringMatching(/^No token lifetime annotation/),
    });
    expect(
      tokenExpirationCheck({ [key]: '600' }, [
        pod('p', [], { [key]: '86400' }),
      ]),
    ).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/within/),
    });
  });

  it('warns with the value that takes effect', () => {
    expect(tokenExpirationCheck({ [key]: '60' }, []).detail).toBe(
      'The ServiceAccount sets eks.amazonaws.com/token-expiration: 60, below 600; the webhook uses 600 s.',
    );
    expect(tokenExpirationCheck({ [key]: '172800' }, []).detail).toContain(
      'above 86400; the API server caps the token at its maximum (86400 s on EKS).',
    );
    expect(tokenExpirationCheck({ [key]: '1h' }, []).detail).toContain(
      '"1h", not an integer; the webhook ignores it and uses the default (79200–86400 s).',
    );
    const check = tokenExpirationCheck({ [key]: '99999' }, [
      pod('p', [], { [key]: ' 3600' }),
    ]);
    expect(check.status).toBe('warn');
    expect(check.detail).toContain(
      `Pod p sets ${key}: " 3600", not an integer; the webhook ignores it and uses the ServiceAccount's 86400 s.`,
    );
    expect(
      tokenExpirationCheck({ [key]: '99999999999999999999' }, []).detail,
    ).toContain('not an integer');
  });
});

describe('podIdentityCheck (F11)', () => {
  const podIdentity = (name: string) => ({
    name,
    envNames: [
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    ],
  });

  it('has no row without pods and without associations read', () => {
    expect(podIdentityCheck([])).toBeUndefined();
  });

  it('passes pods without Pod Identity, saying what was read', () => {
    expect(podIdentityCheck([pod('p', [injected('app')])])).toEqual(
      expect.objectContaining({
        code: 'F11',
        status: 'pass',
        detail: 'No container carries EKS Pod Identity credentials.',
      }),
    );
    expect(podIdentityCheck([], [])).toEqual(
      expect.objectContaining({
        status: 'pass',
        detail: expect.stringContaining('No EKS Pod Identity association'),
      }),
    );
  });

  it('warns naming the pod and container with Pod Identity credentials', () => {
    const check = podIdentityCheck([
      pod('p', [
        injected('app'),
        podIdentity('sidecar'),
        bare('half', ['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']),
      ]),
    ]);
    expect(check?.status).toBe('warn');
    expect(check?.detail).toContain(
      'pod p container sidecar (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)',
    );
    expect(check?.detail).toContain(
      'pod p container half (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)',
    );
    expect(check?.detail).not.toContain('container app');
    expect(check?.detail).toContain('takes precedence over IRSA');
  });

  it('warns on an association EKS lists, with or without pods', () => {
    const check = podIdentityCheck(
      [],
      [{ associationId: 'a-1', associationArn: 'arn:aws:eks:x' }],
    );
    expect(check?.status).toBe('warn');
    expect(check?.detail).toContain(
      'EKS has a Pod Identity association for this ServiceAccount (a-1)',
    );
    expect(check?.detail).toContain('Delete the association');
    const both = podIdentityCheck(
      [pod('p', [podIdentity('app')])],
      [{ associationId: 'a-1' }],
    );
    expect(both?.detail).toMatch(/association .*a-1.* pod p container app/s);
  });
});
