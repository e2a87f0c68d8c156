import {
  CreatePolicyCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  ListAttachedRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
} from '@aws-sdk/client-iam';
import { iamFor } from './awsClients';

// Direct IAM writes for tests that break what the product set up, so its checks can be
// seen to notice. Each goes straight to the SDK, never through the product.

/**
 * Creates a customer managed policy (allowing `sts:GetCallerIdentity`) to serve as a
 * permissions boundary, and returns its ARN.
 *
 * @public
 */
export async function createBoundaryPolicy(
  accountId: string,
  name: string,
): Promise<string> {
  const { Policy } = await iamFor(accountId).send(
    new CreatePolicyCommand({
      PolicyName: name,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:GetCallerIdentity',
            Resource: '*',
          },
        ],
      }),
    }),
  );
  return Policy!.Arn!;
}

/**
 * Sets a role's permissions boundary, or removes it when `boundaryArn` is undefined.
 *
 * @public
 */
export async function setRolePermissionsBoundary(
  accountId: string,
  roleName: string,
  boundaryArn: string | undefined,
): Promise<void> {
  const iam = iamFor(accountId);
  if (boundaryArn) {
    await iam.send(
      new PutRolePermissionsBoundaryCommand({
        RoleName: roleName,
        PermissionsBoundary: boundaryArn,
      }),
    );
  } else {
    await iam.send(
      new DeleteRolePermissionsBoundaryCommand({ RoleName: roleName }),
    );
  }
}

/**
 * Deletes an IAM OIDC provider.
 *
 * @public
 */
export async function deleteOidcProvider(
  accountId: string,
  providerArn: string,
): Promise<void> {
  await iamFor(accountId).send(
    new DeleteOpenIDConnectProviderCommand({
      OpenIDConnectProviderArn: providerArn,
    }),
  );
}

/**
 * Replaces a role's trust policy, as someone editing it by hand would.
 *
 * @public
 */
export async function setRoleTrust(
  accountId: string,
  roleName: string,
  trust: object,
): Promise<void> {
  await iamFor(accountId).send(
    new UpdateAssumeRolePolicyCommand({
      RoleName: roleName,
      PolicyDocument: JSON.stringify(trust),
    }),
  );
}

/**
 * Replaces an OIDC provider's ThumbprintList, as someone editing it by hand would.
 *
 * @public
 */
export async function setOidcProviderThumbprints(
  accountId: string,
  providerArn: string,
  thumbprints: string[],
): Promise<void> {
  await iamFor(accountId).send(
    new UpdateOpenIDConnectProviderThumbprintCommand({
      OpenIDConnectProviderArn: providerArn,
      ThumbprintList: thumbprints,
    }),
  );
}

/**
 * The managed policy ARNs attached to a role.
 *
 * @public
 */
export async function attachedPolicyArns(
  accountId: string,
  roleName: string,
): Promise<string[]> {
  const { AttachedPolicies } = await iamFor(accountId).send(
    new ListAttachedRolePoliciesCommand({ RoleName: roleName }),
  );
  return (AttachedPolicies ?? []).map(p => p.PolicyArn ?? '');
}

/**
 * Deletes a role that has no policies left (IAM refuses otherwise), as someone cleaning up
 * by hand would: the product's ServiceAccount then names a role that is gone (P4).
 *
 * @public
 */
export async function deleteRoleByHand(
  accountId: string,
  roleName: string,
): Promise<void> {
  await iamFor(accountId).send(new DeleteRoleCommand({ RoleName: roleName }));
}
