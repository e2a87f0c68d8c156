import {
  permissionsBoundaryCheck,
  providerRegistrationCheck,
} from './roleChecks';

const provider = (account: string) =>
  `arn:aws:iam::${account}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE`;

describe('providerRegistrationCheck (F1, F2)', () => {
  const base = { clusterName: 'prod', clusterAccountId: '111111111111' };

  it('is F1 when the role is in the cluster account', () => {
    expect(
      providerRegistrationCheck({
        ...base,
        roleAccountId: '111111111111',
        providerArn: provider('111111111111'),
        exists: true,
      }),
    ).toMatchObject({ code: 'F1', status: 'pass' });
    expect(
      providerRegistrationCheck({
        ...base,
        roleAccountId: '111111111111',
        providerArn: provider('111111111111'),
        exists: false,
      }),
    ).toMatchObject({
      code: 'F1',
      status: 'fail',
      detail: `No IAM OIDC provider ${provider(
        '111111111111',
      )} in account 111111111111.`,
    });
  });

  it('is F2, one row, when the role is in another account', () => {
    expect(
      providerRegistrationCheck({
        ...base,
        roleAccountId: '222222222222',
        providerArn: provider('222222222222'),
        exists: true,
      }),
    ).toMatchObject({
      code: 'F2',
      status: 'pass',
      detail: expect.stringContaining('account 222222222222 has the provider'),
    });
    const missing = providerRegistrationCheck({
      ...base,
      roleAccountId: '222222222222',
      providerArn: provider('222222222222'),
      exists: false,
    });
    expect(missing).toMatchObject({ code: 'F2', status: 'fail' });
    expect(missing.detail).toContain(
      'The role is in account 222222222222, cluster prod in account 111111111111, and account 222222222222 has no IAM OIDC provider',
    );
    expect(missing.detail).toContain(
      'run aws:oidc:ensure for cluster prod with accountId 222222222222',
    );
    expect(missing.detail).toContain(
      'or use a role in account 111111111111 that chains into account 222222222222.',
    );
  });
});

describe('permissionsBoundaryCheck (S8)', () => {
  const required = 'arn:aws:iam::111111111111:policy/boundary';

  it('has no row when the guardrails require no boundary', () => {
    expect(permissionsBoundaryCheck(undefined, required)).toBeUndefined();
  });

  it('passes the required boundary and warns otherwise', () => {
    expect(permissionsBoundaryCheck(required, required)).toMatchObject({
      code: 'S8',
      status: 'pass',
    });
    expect(permissionsBoundaryCheck(required, undefined)).toMatchObject({
      code: 'S8',
      status: 'warn',
      detail: `The role has no permissions boundary; the guardrails require ${required}.`,
    });
    expect(
      permissionsBoundaryCheck(required, `${required}-other`),
    ).toMatchObject({
      status: 'warn',
      detail: `The role's permissions boundary is ${required}-other, not the required ${required}.`,
    });
  });
});
