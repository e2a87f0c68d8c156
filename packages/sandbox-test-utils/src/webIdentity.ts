import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { anonymousSts } from './awsClients';

/**
 * AssumeRoleWithWebIdentity against the sandbox's STS as a pod's SDK calls it: unsigned,
 * with the token.
 *
 * @public
 */
export async function webIdentityLogin(
  roleArn: string,
  token: string,
  sessionName = 'sandbox-test-utils',
) {
  return anonymousSts().send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn,
      RoleSessionName: sessionName,
      WebIdentityToken: token,
    }),
  );
}

/**
 * The sandbox's STS refusing `token` for `roleArn`: the SDK error's name (STS's
 * `InvalidIdentityToken` code arrives as `InvalidIdentityTokenException`, as from AWS;
 * `AccessDenied` is not modeled), message and HTTP status. Throws when STS accepts.
 *
 * @public
 */
export async function webIdentityRefusal(roleArn: string, token: string) {
  try {
    await webIdentityLogin(roleArn, token);
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: any };
    return {
      code: err.name,
      message: err.message,
      status: err.$metadata?.httpStatusCode as number | undefined,
    };
  }
  throw new Error(`STS accepted the token for ${roleArn}`);
}
