import {
  CreateRoleCommand,
  EntityAlreadyExistsException,
} from '@aws-sdk/client-iam';
import { iamFor } from './awsClients';
import { sandboxEnv } from './sandboxEnv';

/**
 * Creates (once) a role in the sandbox shaped like one the product made for `entityRef`
 * (path `/irsa/`, the ownership tags), trusting nothing, and returns its ARN. For tests
 * that need an existing role of an entity without running the role action.
 *
 * @public
 */
export async function createManagedRole(
  name: string,
  entityRef: string | undefined,
  accountId = sandboxEnv().clusterAccountId,
): Promise<string> {
  const tags = [{ Key: 'backstage-irsa:managed-by', Value: 'backstage-irsa' }];
  if (entityRef)
    tags.push({ Key: 'backstage-irsa:entity-ref', Value: entityRef });
  try {
    await iamFor(accountId).send(
      new CreateRoleCommand({
        RoleName: name,
        Path: '/irsa/',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [],
        }),
        Tags: tags,
      }),
    );
  } catch (e) {
    if (!(e instanceof EntityAlreadyExistsException)) throw e;
  }
  return `arn:aws:iam::${accountId}:role/irsa/${name}`;
}
