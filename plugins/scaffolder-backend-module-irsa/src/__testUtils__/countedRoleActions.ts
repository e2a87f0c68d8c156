import { randomBytes } from 'node:crypto';
import { createIrsaService } from '@backstage-irsa/plugin-irsa-node';
import {
  type AwsRequest,
  awsWrites,
  BACKSTAGE_K8S_USER,
  k8sWrites,
  peerRequests,
  sandboxAppConfig,
  sandboxEnv,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import { ConfigReader } from '@backstage/config';
import { createIrsaRoleAction } from '../actions/createIrsaRole';
import { createEnsureOidcProviderAction } from '../actions/ensureOidcProvider';
import { createServiceAccountAction } from '../actions/createServiceAccount';
import { createDeleteIrsaRoleAction } from '../actions/deleteIrsaRole';
import { TEST_OWNER, testActionOptions } from './actionOptions';

/** The managed policies the preset tests' guardrails allow. */
export const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
export const DYNAMODB_READ =
  'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess';

/**
 * aws:oidc:ensure, aws:irsa:create-role, k8s:create-sa and aws:irsa:delete-role against the
 * sandbox, as roleActions() but with
 * two clusters of their own (`c1`, `c2`: the sandbox's apiserver, each with a different
 * issuer, so a test's providers are its own), `presets`, and an AWS access key of their
 * own: moto's request log names the long-term key behind every request
 * (`sourceAccessKeyId`), so {@link CountedRoleActions.requestsSince} counts this service's
 * requests and no other test's.
 */
export function countedRoleActions(
  options: { guardrails?: object; presets?: object[] } = {},
) {
  const env = sandboxEnv();
  // A dummy long-term key (moto maps it to the default account, as the shared one).
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const hostPaths = ['a', 'b'].map(
    c => `oidc.sandbox.test/id/${uniqueName(`mc${c}`).toUpperCase()}`,
  );
  const config = sandboxAppConfig({
    irsaClusters: hostPaths.map((hostPath, i) => ({
      name: `c${i + 1}`,
      accountId: env.clusterAccountId,
      region: env.region,
      oidcIssuer: `https://${hostPath}`,
      allowedAccountIds: [env.targetAccountId],
      kubernetes: { clusterRef: 'sandbox' },
    })),
    guardrails: {
      roleNamePrefix: 'irsa-',
      rolePath: '/irsa/',
      allowedPolicyArns: [S3_READ, DYNAMODB_READ],
      deniedNamespaces: ['kube-*'],
      ...options.guardrails,
    },
    irsa: {
      presets: options.presets ?? [],
      namespaceOwnership: {
        source: 'config',
        namespaces: [{ name: '*', owners: [TEST_OWNER] }],
      },
    },
  });
  config.aws.mainAccount.accessKeyId = accessKeyId;
  const irsaService = createIrsaService(new ConfigReader(config));
  return {
    env,
    irsaService,
    hostPaths,
    providerArn: (i: number, accountId = env.clusterAccountId) =>
      `arn:aws:iam::${accountId}:oidc-provider/${hostPaths[i]}`,
    oidc: createEnsureOidcProviderAction(testActionOptions(irsaService)),
    role: createIrsaRoleAction(testActionOptions(irsaService)),
    sa: createServiceAccountAction(testActionOptions(irsaService)),
    remove: createDeleteIrsaRoleAction(testActionOptions(irsaService)),
    /** This service's AWS requests, and the backend's Kubernetes writes in `namespace`. */
    async requestsSince(
      mark: Awaited<ReturnType<typeof peerRequests.mark>>,
      namespace: string,
    ) {
      const seen = await peerRequests.since(mark);
      const aws = seen.aws.filter(r => r.sourceAccessKeyId === accessKeyId);
      return {
        aws,
        awsWrites: awsWrites(aws).map(describeWrite),
        k8sWrites: k8sWrites(
          seen.k8s.filter(
            r => r.user === BACKSTAGE_K8S_USER && r.namespace === namespace,
          ),
        ),
      };
    },
  };
}

/** `Action RoleName` (or the action alone): what a write did, for exact assertions. */
function describeWrite(r: AwsRequest): string {
  return r.roleName ? `${r.action} ${r.roleName}` : r.action;
}

/** What countedRoleActions() returns. */
export type CountedRoleActions = ReturnType<typeof countedRoleActions>;
