/**
 * The IRSA trust policy tests write by hand — written out here, not with the product's
 * builder, so a test compares what IAM stores against an independent document: exactly
 * `sub` and audience `sts.amazonaws.com` for one provider.
 *
 * @public
 */
export function webIdentityTrust(providerArn: string, sub: string) {
  const hostPath = providerArn.split(':oidc-provider/')[1];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${hostPath}:sub`]: sub,
            [`${hostPath}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}
