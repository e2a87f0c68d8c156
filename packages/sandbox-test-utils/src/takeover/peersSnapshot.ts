import {
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { iamFor } from '../awsClients';
import { coreV1 } from '../kubeClients';

/**
 * What an attack could change, exactly as the peers store it: the account's OIDC
 * providers; each role's trust policy,
 * tags, path, boundary and attached policies; each ServiceAccount's whole object
 * (resourceVersion included, so any write at all shows).
 */
export async function snapshotPeers(
  accountId: string,
  roles: string[],
  serviceAccounts: Array<[string, string]>,
): Promise<string> {
  const iam = iamFor(accountId);
  const out: Record<string, unknown> = {
    providers: (await iam.send(new ListOpenIDConnectProvidersCommand({})))
      .OpenIDConnectProviderList,
  };
  for (const name of roles) {
    try {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: name }));
      const attached = await iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName: name }),
      );
      out[`role:${name}`] = {
        trust: decodeURIComponent(Role!.AssumeRolePolicyDocument ?? ''),
        tags: Role!.Tags,
        path: Role!.Path,
        boundary: Role!.PermissionsBoundary,
        attached: attached.AttachedPolicies,
      };
    } catch (e) {
      if (!(e instanceof NoSuchEntityException)) throw e;
      out[`role:${name}`] = 'absent';
    }
  }
  for (const [namespace, name] of serviceAccounts) {
    try {
      out[`sa:${namespace}/${name}`] =
        await coreV1().readNamespacedServiceAccount({ namespace, name });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
      out[`sa:${namespace}/${name}`] = 'absent';
    }
  }
  return JSON.stringify(out);
}
