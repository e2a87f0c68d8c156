import { sandboxEnv } from './sandboxEnv';

/**
 * The Backstage config (aws, kubernetes, irsa) that app-config.yaml builds from the sandbox
 * env, as a plain object for `new ConfigReader(...)` or `mockServices.rootConfig`. Lets
 * integration tests run the product's real config reading and credential chain against
 * the sandbox. `irsaClusters` replaces the cluster list (e.g. per-test issuers); the default
 * cluster may hold roles in the target account, as app-config.yaml allows. `accountIds` adds
 * accounts the backend may act in (through their backstage-irsa-manager role, as the
 * sandbox's own), e.g. a fresh account a test may break without touching the others.
 *
 * @public
 */
export function sandboxAppConfig(
  options: {
    irsaClusters?: object[];
    guardrails?: object;
    /** More keys of the `irsa` section, e.g. `namespaceOwnership`. */
    irsa?: object;
    accountIds?: string[];
    /** The Kubernetes API URL of cluster `sandbox` (a fault proxy in front of it, say). */
    k8sUrl?: string;
  } = {},
) {
  const env = sandboxEnv();
  return {
    aws: {
      mainAccount: {
        accessKeyId: env.awsAccessKeyId,
        secretAccessKey: env.awsSecretAccessKey,
        region: env.region,
      },
      accounts: [
        env.clusterAccountId,
        env.targetAccountId,
        ...(options.accountIds ?? []),
      ].map(accountId => ({
        accountId,
        roleName: env.managerRoleName,
        region: env.region,
      })),
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'sandbox',
              url: options.k8sUrl ?? env.k8sUrl,
              authProvider: 'serviceAccount',
              serviceAccountToken: env.k8sToken,
              caData: env.k8sCaData,
            },
          ],
        },
      ],
    },
    irsa: {
      clusters: options.irsaClusters ?? [
        {
          name: 'sandbox',
          accountId: env.clusterAccountId,
          region: env.region,
          eksClusterName: env.eksClusterName,
          allowedAccountIds: [env.targetAccountId],
          kubernetes: { clusterRef: 'sandbox' },
        },
      ],
      // As app-config.yaml: the sandbox's issuer runs on 127.0.0.1 with the sandbox CA.
      outbound: { allowedHosts: ['127.0.0.1'], caData: env.k8sCaData },
      ...(options.guardrails ? { guardrails: options.guardrails } : {}),
      ...options.irsa,
    },
  };
}
