// The round-trip floor of the benchmark (issue #11): "the minimal raw calls for status and verify
// with reused SDK clients in one process". No product code, no checks, no HTTP layer of ours:
// what remains is what the peers cost, which the product's status and verify can only add to.
// Calls run in parallel wherever the product could run them. Tokens and credentials stay in
// local variables; nothing is printed or returned but milliseconds and who STS says we are.
import https from 'node:https';
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { managerClients, sandboxEnv } from './sandboxAws.mjs';
import { clusterProvider } from './seed.mjs';

const AUDIENCE = 'sts.amazonaws.com';
// As the product's StsGateway: the session can do nothing, and lives 900 s.
const DENY_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
});

const msSince = t => Number(process.hrtime.bigint() - t) / 1e6;

/** A JSON client for the kube-apiserver with the backend's own token and one keep-alive agent. */
function kubeClient(env) {
  const agent = new https.Agent({
    keepAlive: true,
    ca: Buffer.from(env.IRSA_SANDBOX_K8S_CA_DATA, 'base64'),
  });
  return (method, path, body) =>
    new Promise((resolve, reject) => {
      const req = https.request(
        new URL(path, env.IRSA_SANDBOX_K8S_URL),
        {
          method,
          agent,
          headers: {
            // The identity the product uses (IRSA_SANDBOX_K8S_TOKEN), so RBAC costs the same.
            authorization: `Bearer ${env.IRSA_SANDBOX_K8S_TOKEN}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', c => (text += c));
          res.on('end', () => {
            if (res.statusCode >= 300) {
              // The body of an error never holds a token; the request's does not leave here.
              reject(new Error(`${method} ${path}: ${res.statusCode}`));
            } else resolve(JSON.parse(text));
          });
        },
      );
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
}

/**
 * Builds the clients once and returns `status(target)` and `verify(target)`, each resolving to
 * the milliseconds it took; target = { namespace, serviceAccount, roleName }.
 */
export async function createFloor() {
  const env = sandboxEnv();
  const account = env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID;
  const { iam, eks } = await managerClients(account, env);
  const kube = kubeClient(env);
  const sts = new STSClient({
    region: env.IRSA_SANDBOX_REGION,
    endpoint: env.IRSA_SANDBOX_AWS_ENDPOINT,
  });
  // Not a per-request call in the floor: a cluster's issuer can be configured
  // (irsa.clusters[].oidcIssuer) or cached, so DescribeCluster runs once, here.
  const { providerArn } = await clusterProvider(eks, env);
  const saPath = t =>
    `/api/v1/namespaces/${t.namespace}/serviceaccounts/${t.serviceAccount}`;

  async function status(t) {
    const start = process.hrtime.bigint();
    await Promise.all([
      // The role comes from the ServiceAccount's annotation, so GetRole waits for it.
      kube('GET', saPath(t)).then(sa => {
        const arn =
          sa.metadata.annotations?.['eks.amazonaws.com/role-arn'] ?? '';
        const name = arn.slice(arn.lastIndexOf('/') + 1);
        if (name !== t.roleName) {
          throw new Error(
            `${t.namespace}/${t.serviceAccount} names role ${name}, not ${t.roleName}`,
          );
        }
        return iam.send(new GetRoleCommand({ RoleName: name }));
      }),
      kube(
        'GET',
        `/api/v1/namespaces/${
          t.namespace
        }/pods?fieldSelector=${encodeURIComponent(
          `spec.serviceAccountName=${t.serviceAccount}`,
        )}`,
      ),
      iam.send(
        new GetOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: providerArn,
        }),
      ),
    ]);
    return msSince(start);
  }

  async function verify(t) {
    const start = process.hrtime.bigint();
    const { status: tr } = await kube('POST', `${saPath(t)}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [AUDIENCE], expirationSeconds: 600 },
    });
    const assumed = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: `arn:aws:iam::${account}:role/irsa/${t.roleName}`,
        RoleSessionName: `bench-floor-${Date.now()}`,
        WebIdentityToken: tr.token,
        Policy: DENY_ALL,
        DurationSeconds: 900,
      }),
    );
    const c = assumed.Credentials;
    // SDK clients hold one identity each, so the caller-identity client is new per call; it
    // shares the STS client's handler, hence its kept-alive sockets.
    const me = await new STSClient({
      region: env.IRSA_SANDBOX_REGION,
      endpoint: env.IRSA_SANDBOX_AWS_ENDPOINT,
      requestHandler: sts.config.requestHandler,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      },
    }).send(new GetCallerIdentityCommand({}));
    if (!me.Arn?.includes(`:assumed-role/${t.roleName}/`)) {
      throw new Error(
        `GetCallerIdentity answered ${me.Arn}, not role ${t.roleName}`,
      );
    }
    return msSince(start);
  }

  return { status, verify };
}
