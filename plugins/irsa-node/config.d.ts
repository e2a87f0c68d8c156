export interface Config {
  /**
   * Self-service AWS access (IRSA) for services on Kubernetes.
   * Read by `@backstage-irsa/plugin-irsa-node`; a missing or invalid section stops the
   * backend at start with an error naming the key.
   */
  irsa: {
    /**
     * The Kubernetes clusters whose ServiceAccounts may receive AWS roles. At least one.
     */
    clusters: Array<{
      /** Unique name; used in catalog annotations, templates and the card. */
      name: string;
      /** The 12-digit AWS account that owns the cluster and its IAM OIDC provider. */
      accountId: string;
      /** AWS region of the cluster, e.g. `eu-west-1`. */
      region: string;
      /**
       * EKS cluster name; the OIDC issuer is then read with eks:DescribeCluster.
       * Give this or `oidcIssuer`.
       */
      eksClusterName?: string;
      /**
       * The cluster's ServiceAccount issuer URL (https), for clusters that are not EKS
       * or when eks:DescribeCluster is not allowed. Give this or `eksClusterName`.
       */
      oidcIssuer?: string;
      /**
       * AWS accounts, besides the cluster's own `accountId`, in which roles for this
       * cluster's ServiceAccounts may be created (cross-account IRSA). Any other account,
       * Backstage's own main account included, is refused before any AWS call.
       * Default: none.
       */
      allowedAccountIds?: string[];
      /** How the backend reaches the cluster's API server. */
      kubernetes: {
        /**
         * Name of a cluster in `kubernetes.clusterLocatorMethods` (type `config`) whose
         * url, CA and ServiceAccount token are reused. Give this or `url`.
         */
        clusterRef?: string;
        /** API server URL (https). */
        url?: string;
        /** Base64 of the PEM CA bundle of the API server. */
        caData?: string;
        /** Path to the PEM CA bundle of the API server. */
        caFile?: string;
        /**
         * Token of the ServiceAccount the backend acts as (see docs/rbac for its
         * least-privilege ClusterRole).
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Skips TLS verification of the API server. Never in production. */
        dangerouslySkipTLSVerify?: boolean;
      };
    }>;
    /**
     * Catalog entity kinds that may receive AWS access (case-insensitive).
     * Default: `[Component]`.
     */
    entityKinds?: string[];
    /**
     * Which namespaces an entity may bind ServiceAccounts in. `annotation` (default): the
     * namespace in the entity's `backstage.io/kubernetes-namespace` annotation. `config`:
     * the `namespaces` list below, each namespace (glob `*` allowed) with the groups or
     * users that own it; an entity may use it when its `spec.owner` is one of them.
     */
    namespaceOwnership?: {
      source?: 'annotation' | 'config';
      namespaces?: Array<{
        /** Namespace name or glob, e.g. `payments-*`. */
        name: string;
        /** Owners, e.g. `group:default/team-payments` (`team-payments` means a group). */
        owners: string[];
      }>;
    };
    /** Live STS verify (`POST /api/irsa/verify`). */
    verify?: {
      /**
       * Verifies allowed per user and per entity in a window; counted in Backstage's cache
       * service (`backend.cache`), so replicas sharing a cache share the limit.
       */
      rateLimit?: {
        /** Default: 10 verifies per user per 60 seconds. */
        perUser?: { limit: number; windowSeconds: number };
        /** Default: 30 verifies per entity per 60 seconds. */
        perEntity?: { limit: number; windowSeconds: number };
      };
    };
    /** Limits platform teams set on what developers may request. */
    guardrails?: {
      /** Namespaces (glob `*` allowed) whose ServiceAccounts may be bound. Default: all. */
      allowedNamespaces?: string[];
      /** Namespaces (glob `*` allowed) that may never be bound; wins over allowed. */
      deniedNamespaces?: string[];
      /** Managed policy ARNs (glob `*` allowed) that roles may have attached. Default: none. */
      allowedPolicyArns?: string[];
      /** Permissions boundary every created role must carry. */
      permissionsBoundaryArn?: string;
      /** Prefix every created role name must start with. */
      roleNamePrefix?: string;
      /** IAM path of created roles, e.g. `/irsa/`. */
      rolePath?: string;
      /** Longest session a created role allows, 3600 to 43200 seconds. */
      maxSessionDurationSeconds?: number;
    };
  };
}
