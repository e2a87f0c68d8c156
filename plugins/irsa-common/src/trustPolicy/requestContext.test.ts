import {
  hostPathOfProviderArn,
  serviceAccountRequestContext,
} from './requestContext';
import {
  AMR,
  AUD,
  HOST_PATH,
  PROVIDER_ARN,
  SUB,
} from './__fixtures__/trustFixtures';

describe('request context of a ServiceAccount token', () => {
  it('puts sub and the default audience under the provider’s keys', () => {
    expect(
      serviceAccountRequestContext({
        providerArn: PROVIDER_ARN,
        namespace: 'payments',
        serviceAccount: 'api',
      }),
    ).toEqual({
      federatedPrincipal: PROVIDER_ARN,
      conditionKeys: {
        [SUB]: 'system:serviceaccount:payments:api',
        [AUD]: 'sts.amazonaws.com',
      },
      action: 'sts:AssumeRoleWithWebIdentity',
    });
  });

  it('adds amr and a custom audience when given', () => {
    const ctx = serviceAccountRequestContext({
      providerArn: PROVIDER_ARN,
      namespace: 'a',
      serviceAccount: 'b',
      audience: 'x',
      amr: ['m'],
    });
    expect(ctx.conditionKeys).toEqual({
      [SUB]: 'system:serviceaccount:a:b',
      [AUD]: 'x',
      [AMR]: ['m'],
    });
  });

  it('reads the host/path of provider ARNs only', () => {
    expect(hostPathOfProviderArn(PROVIDER_ARN)).toBe(HOST_PATH);
    expect(
      hostPathOfProviderArn('arn:aws:iam::1:oidc-provider/'),
    ).toBeUndefined();
    expect(hostPathOfProviderArn('arn:aws:iam::1:role/x')).toBeUndefined();
    expect(hostPathOfProviderArn('x:oidc-provider/y')).toBeUndefined();
  });
});
