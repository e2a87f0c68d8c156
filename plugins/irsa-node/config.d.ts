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
         * url, CA and credentials are reused: `authProvider: serviceAccount` (its token) or
         * `authProvider: aws` (EKS tokens signed with `aws.*` credentials, optionally for
         * `authMetadata['kubernetes.io/aws-assume-role']`). Any other provider is refused
         * at start. Give this or `url`.
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
    /**
     * Outbound HTTP the backend makes to URLs that come from configuration or cluster
     * data: the clusters' OIDC discovery documents and JWKS (checks F7, F8, F9, F19).
     * Always https, GET only, redirects never followed; every address a host resolves to
     * must be public unless allow-listed here.
     */
    outbound?: {
      /**
       * Host names, IP addresses or CIDR ranges (e.g. `127.0.0.1`, `10.0.0.0/8`) that may
       * be reached although they are private, loopback, link-local or otherwise not
       * public. Default: none. The sandbox lists `127.0.0.1`, where its issuer runs.
       */
      allowedHosts?: string[];
      /**
       * Base64 of a PEM bundle of CA certificates trusted, besides Node's own, for these
       * fetches (a self-hosted issuer with a private CA; the sandbox's CA).
       */
      caData?: string;
      /** Timeout of each request. Default 5, 1 to 60. */
      timeoutSeconds?: number;
      /** Largest response read. Default 1048576 (1 MiB), 1024 to 16777216. */
      maxResponseBytes?: number;
    };
    /**
     * Bounds on every AWS call the backend makes (IAM, EKS, STS), so a slow or stopped
     * endpoint fails in bounded time instead of holding a task or the card.
     */
    aws?: {
      /** Time to open a connection. Default 3, 1 to 60. */
      connectTimeoutSeconds?: number;
      /** Time for one attempt's answer. Default 10, 1 to 300. */
      requestTimeoutSeconds?: number;
      /**
       * Attempts in all, the first included; throttling and network errors are retried
       * with backoff (the SDK's adaptive mode). Default 3, 1 to 10.
       */
      maxAttempts?: number;
      /**
       * Calls in flight to one account and region at a time; more wait their turn, and
       * those of a request whose client has gone are dropped. Default 10, 1 to 100.
       */
      maxConcurrency?: number;
    };
    /** Bounds on every Kubernetes API request the backend makes. */
    kubernetes?: {
      /** Time for one request's answer. Default 10, 1 to 300. */
      requestTimeoutSeconds?: number;
      /**
       * Requests in flight to one cluster's API server at a time; more wait their turn, and
       * those of a request whose client has gone are dropped. Default 10, 1 to 100.
       */
      maxConcurrency?: number;
    };
    /**
     * How long the backend reuses what it read, through Backstage's cache service
     * (`backend.cache`: memory, or Redis/Valkey/memcache shared by replicas). The product's
     * own writes clear what they change; the card's Refresh reads everything afresh.
     */
    cache?: {
      /**
       * IAM roles and OIDC providers, EKS clusters and Pod Identity associations, and the
       * issuer's discovery documents. Default 300, 0 (off) to 3600.
       */
      readTtlSeconds?: number;
      /**
       * A whole status report of one entity, Kubernetes reads included, so a catalog page
       * many people open costs one computation. Default 10, 0 (off) to 300.
       */
      statusTtlSeconds?: number;
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
      /**
       * The role trust policy length quota of the accounts roles are made in, 2048 (AWS's
       * default) to 4096: set it once the quota is raised. Requests that would exceed it are
       * refused (F18); the card warns when a role's trust has reached it.
       */
      trustPolicySizeLimit?: number;
      /**
       * Whether a preset's inline policy may `Allow` Action `"*"` on Resource `"*"`
       * (administrator access). Default false: such a request is refused before any write.
       */
      allowAllActionsOnAllResources?: boolean;
      /**
       * Whether a role may trust ServiceAccounts by name pattern
       * (`system:serviceaccount:<namespace>:<prefix>*` under `StringLike`, one namespace, a
       * literal first character): the `serviceAccountPattern` input. Default false: refused.
       */
      allowServiceAccountPatterns?: boolean;
    };
    /**
     * Policy presets developers pick in the template instead of writing IAM: managed
     * policies and/or an inline policy, optionally parameterised (e.g. by a bucket name).
     * Each is checked at start-up; what a request selects goes through the guardrails.
     * Default: none.
     */
    presets?: Array<{
      /** Unique, lower-case letters, digits and '-', at most 40; the inline policy is written as `preset-<name>`. */
      name: string;
      /** Shown in the form. */
      title: string;
      /** Shown in the form: what the preset grants. */
      description?: string;
      /** Managed policies attached with the preset; each must also be in `guardrails.allowedPolicyArns`. */
      policyArns?: string[];
      /**
       * An IAM identity policy written to the role with PutRolePolicy. String values may hold
       * `${name}` placeholders for the parameters below and `${partition}`, `${accountId}`,
       * `${region}`, `${namespace}`, `${serviceAccount}`. In app-config files write them
       * `$${name}`, as Backstage reads `${NAME}` as an environment variable.
       */
      inlinePolicy?: { [key: string]: unknown };
      /** Values the developer gives, each substituted only when it matches its pattern. */
      parameters?: Array<{
        /** An identifier, used as `${name}` in the inline policy. */
        name: string;
        /** Shown in the form. */
        title: string;
        /** Shown in the form. */
        description?: string;
        /** Regular expression the whole value must match, e.g. `^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`. */
        pattern: string;
      }>;
    }>;
  };
}
