import { sandboxEnv, uniqueName } from '@backstage-irsa/sandbox-test-utils';
import { createIrsaRoleAction } from '../actions/createIrsaRole';
import { createEnsureOidcProviderAction } from '../actions/ensureOidcProvider';
import { testActionOptions } from './actionOptions';
import { sandboxIrsaService } from './sandboxIrsaService';

/** The one managed policy the role tests' guardrails allow. */
export const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

/**
 * aws:oidc:ensure and aws:irsa:create-role against the sandbox, for cluster `c1`: the
 * sandbox's apiserver with an issuer of its own (so a test's provider is its own), roles
 * named `irsa-...` under `/irsa/`, only {@link S3_READ} attachable, `kube-*` denied, and
 * `guardrails` over those. `hostPath` names another test's issuer, to act on its cluster.
 */
export function roleActions(
  options: { guardrails?: object; hostPath?: string } = {},
) {
  const env = sandboxEnv();
  const hostPath =
    options.hostPath ??
    `oidc.sandbox.test/id/${uniqueName('role').toUpperCase()}`;
  const irsaService = sandboxIrsaService({
    irsaClusters: [
      {
        name: 'c1',
        accountId: env.clusterAccountId,
        region: env.region,
        oidcIssuer: `https://${hostPath}`,
        allowedAccountIds: [env.targetAccountId],
        kubernetes: { clusterRef: 'sandbox' },
      },
    ],
    guardrails: {
      roleNamePrefix: 'irsa-',
      rolePath: '/irsa/',
      allowedPolicyArns: [S3_READ],
      deniedNamespaces: ['kube-*'],
      ...options.guardrails,
    },
  });
  return {
    env,
    irsaService,
    hostPath,
    oidc: createEnsureOidcProviderAction(testActionOptions(irsaService)),
    role: createIrsaRoleAction(testActionOptions(irsaService)),
  };
}
