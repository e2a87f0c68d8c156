import * as constants from './constants';
import { validateRoleTags } from './validators/tags';

describe('constants', () => {
  it('keeps the names other tools and clusters rely on', () => {
    expect(constants).toMatchObject({
      IRSA_ROLE_ARN_ANNOTATION: 'eks.amazonaws.com/role-arn',
      IRSA_AUDIENCE_ANNOTATION: 'eks.amazonaws.com/audience',
      KUBERNETES_ID_LABEL: 'backstage.io/kubernetes-id',
      IRSA_SERVICE_ACCOUNTS_ANNOTATION: 'irsa.backstage.io/service-accounts',
      MANAGED_BY_LABEL: 'app.kubernetes.io/managed-by',
      MANAGED_BY_VALUE: 'backstage-irsa',
      ENTITY_HASH_LABEL: 'irsa.backstage.io/entity-hash',
      SERVICE_ACCOUNT_ADOPTED_BY_ANNOTATION: 'irsa.backstage.io/adopted-by',
      SERVICE_ACCOUNT_FIELD_MANAGER: 'backstage-irsa',
      ROLE_MANAGED_BY_TAG: 'backstage-irsa:managed-by',
      ROLE_ENTITY_REF_TAG: 'backstage-irsa:entity-ref',
      ROLE_TRUST_UPDATED_AT_TAG: 'backstage-irsa:trust-updated-at',
      OIDC_PROVIDER_CLUSTER_TAG: 'backstage-irsa:cluster',
      STS_AUDIENCE: 'sts.amazonaws.com',
      ASSUME_ROLE_WITH_WEB_IDENTITY: 'sts:AssumeRoleWithWebIdentity',
      DEFAULT_TRUST_POLICY_SIZE_LIMIT: 2048,
    });
  });

  it('uses ownership tag keys IAM accepts', () => {
    expect(
      validateRoleTags([
        {
          Key: constants.ROLE_MANAGED_BY_TAG,
          Value: constants.MANAGED_BY_VALUE,
        },
        {
          Key: constants.ROLE_ENTITY_REF_TAG,
          Value: 'component:default/payments-api',
        },
        {
          Key: constants.ROLE_TRUST_UPDATED_AT_TAG,
          Value: '2026-01-01T12:00:00.000Z',
        },
      ]),
    ).toEqual({ ok: true });
  });

  it('uses a managed-by value that is a valid Kubernetes label value', () => {
    expect(constants.MANAGED_BY_VALUE).toMatch(
      /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    );
  });
});
