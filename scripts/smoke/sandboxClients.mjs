// Direct access to the sandbox peers for smoke-test assertions (not used by the product):
// the Kubernetes API as admin, and IAM in an account through the manager role.
import https from 'node:https';
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

const env = process.env;

/** Calls the sandbox kube-apiserver as admin; resolves { status, body }. */
export function kube(method, path, body) {
  const url = new URL(path, env.IRSA_SANDBOX_K8S_URL);
  const data = body ? JSON.stringify(body) : undefined;
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: Buffer.from(env.IRSA_SANDBOX_K8S_CA_DATA, 'base64'),
        headers: {
          authorization: `Bearer ${env.IRSA_SANDBOX_K8S_ADMIN_TOKEN}`,
          'content-type': 'application/json',
        },
      },
      res => {
        let text = '';
        res.on('data', c => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            body: text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** An IAM client acting in `accountId` through the seeded manager role. */
export async function iamIn(accountId) {
  const sts = new STSClient({
    region: env.IRSA_SANDBOX_REGION,
    endpoint: env.IRSA_SANDBOX_AWS_ENDPOINT,
    credentials: {
      accessKeyId: env.IRSA_SANDBOX_AWS_ACCESS_KEY_ID,
      secretAccessKey: env.IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY,
    },
  });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${env.IRSA_SANDBOX_MANAGER_ROLE_NAME}`,
      RoleSessionName: 'smoke-test',
    }),
  );
  return new IAMClient({
    region: env.IRSA_SANDBOX_REGION,
    endpoint: env.IRSA_SANDBOX_AWS_ENDPOINT,
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    },
  });
}
