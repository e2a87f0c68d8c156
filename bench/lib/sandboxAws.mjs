// AWS clients on the sandbox for the benchmark's fixture and floor: one AssumeRole into the
// seeded manager role of an account, as the product does (aws.accounts in app-config.yaml), and
// clients built once on those credentials. The SDK's Node handler keeps connections alive, so
// reusing a client reuses its sockets. Credentials stay inside the clients; nothing is printed.
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/** The sandbox variables, or an error saying how to get them. */
export function sandboxEnv() {
  const env = process.env;
  for (const k of [
    'IRSA_SANDBOX_AWS_ENDPOINT',
    'IRSA_SANDBOX_K8S_URL',
    'IRSA_SANDBOX_CLUSTER_ACCOUNT_ID',
  ]) {
    if (!env[k]) {
      throw new Error(
        `${k} is not set: run eval "$(scripts/sandbox env)" first (the sandbox must be up).`,
      );
    }
  }
  return env;
}

const base = env => ({
  region: env.IRSA_SANDBOX_REGION,
  endpoint: env.IRSA_SANDBOX_AWS_ENDPOINT,
});

/** An STS client with the main account's (dummy) keys: Backstage's own identity. */
export function mainSts(env = sandboxEnv()) {
  return new STSClient({
    ...base(env),
    credentials: {
      accessKeyId: env.IRSA_SANDBOX_AWS_ACCESS_KEY_ID,
      secretAccessKey: env.IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY,
    },
  });
}

/** IAM and EKS clients acting in `accountId` through its manager role. */
export async function managerClients(accountId, env = sandboxEnv()) {
  const { Credentials: c } = await mainSts(env).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${env.IRSA_SANDBOX_MANAGER_ROLE_NAME}`,
      RoleSessionName: 'backstage-irsa-bench',
    }),
  );
  const credentials = {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  };
  return {
    iam: new IAMClient({ ...base(env), credentials }),
    eks: new EKSClient({ ...base(env), credentials }),
  };
}
