/**
 * ServiceAccount annotation the EKS pod identity webhook reads to inject the role's
 * credentials into pods.
 *
 * @public
 */
export const IRSA_ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * ServiceAccount annotation overriding the token audience (default {@link STS_AUDIENCE}).
 *
 * @public
 */
export const IRSA_AUDIENCE_ANNOTATION = 'eks.amazonaws.com/audience';

/**
 * Catalog annotation and Kubernetes label that tie workloads to a catalog entity; the
 * Backstage Kubernetes plugin uses the same key, so the product reuses it.
 *
 * @public
 */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/**
 * Catalog annotation listing ServiceAccounts bound to the entity explicitly:
 * comma-separated `[cluster/]namespace/name` entries.
 *
 * @public
 */
export const IRSA_SERVICE_ACCOUNTS_ANNOTATION =
  'irsa.backstage.io/service-accounts';

/**
 * Kubernetes label naming the tool that manages an object.
 *
 * @public
 */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/**
 * Value of {@link MANAGED_BY_LABEL} on ServiceAccounts this product created; objects
 * without it are not ours to change.
 *
 * @public
 */
export const MANAGED_BY_VALUE = 'backstage-irsa';

/**
 * Label on ServiceAccounts this product created: the first 40 hex digits of the SHA-256 of
 * the owning entity's ref, lower-cased (a ref has `:` and `/`, which label values may
 * not). An index only, so an entity's ServiceAccounts are one label-selected list per
 * cluster; the entity-ref annotation stays the ownership record.
 *
 * @public
 */
export const ENTITY_HASH_LABEL = 'irsa.backstage.io/entity-hash';

/**
 * IAM role tag naming the product that owns the role (value {@link MANAGED_BY_VALUE}).
 * Letters, `-` and `:` are all within IAM's tag key character set.
 *
 * @public
 */
export const ROLE_MANAGED_BY_TAG = 'backstage-irsa:managed-by';

/**
 * IAM role tag holding the entity ref the role was created for, e.g.
 * `component:default/payments-api`.
 *
 * @public
 */
export const ROLE_ENTITY_REF_TAG = 'backstage-irsa:entity-ref';

/**
 * IAM role tag holding when the product last rewrote the role's trust policy (ISO 8601), so
 * Verify can tell a denial that IAM has not propagated yet (F16) from a wrong trust. The only
 * tag the product writes after creating a role.
 *
 * @public
 */
export const ROLE_TRUST_UPDATED_AT_TAG = 'backstage-irsa:trust-updated-at';

/**
 * IAM OIDC provider tag naming the cluster the product created the provider for, for people
 * reading IAM (ownership itself is {@link ROLE_MANAGED_BY_TAG}).
 *
 * @public
 */
export const OIDC_PROVIDER_CLUSTER_TAG = 'backstage-irsa:cluster';

/**
 * Audience of tokens exchanged with STS, and the default client id of EKS OIDC providers.
 *
 * @public
 */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/**
 * The STS action a role trust policy must allow for IRSA.
 *
 * @public
 */
export const ASSUME_ROLE_WITH_WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

/**
 * Default IAM quota on trust policy size, in characters IAM counts (white space excluded).
 * Accounts can raise it to 4,096.
 *
 * @public
 */
export const DEFAULT_TRUST_POLICY_SIZE_LIMIT = 2048;

/**
 * ServiceAccount annotation naming the catalog entity the product created or annotated the
 * ServiceAccount for (a full ref, which a label value cannot hold). With the
 * {@link MANAGED_BY_LABEL} label it is the ServiceAccount's ownership record: only that
 * entity may change it, and only that entity's card and verify use it.
 *
 * @public
 */
export const SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION =
  'irsa.backstage.io/entity-ref';

/**
 * ServiceAccount annotation naming the catalog entity a ServiceAccount someone else created
 * (typically a Helm chart) was adopted for by `k8s:create-sa` with `adoptExisting: true`. It
 * is the ownership record of an adopted ServiceAccount, in place of the
 * {@link MANAGED_BY_LABEL} label and {@link SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION}, which
 * the creator's tool owns (Helm sets `app.kubernetes.io/managed-by=Helm` and would fight a
 * change): only that entity may change the ServiceAccount's role annotation, and only that
 * entity's card and verify use it.
 *
 * @public
 */
export const SERVICE_ACCOUNT_ADOPTED_BY_ANNOTATION =
  'irsa.backstage.io/adopted-by';

/**
 * Kubernetes field manager of the product's server-side applies (adoption): in
 * `metadata.managedFields` it names the fields backstage-irsa owns on an adopted
 * ServiceAccount, beside the entries of the tool that created it.
 *
 * @public
 */
export const SERVICE_ACCOUNT_FIELD_MANAGER = 'backstage-irsa';

/**
 * ServiceAccount annotation asking the pod identity webhook to inject
 * `AWS_STS_REGIONAL_ENDPOINTS=regional` (`"true"`) or not (`"false"`).
 *
 * @public
 */
export const IRSA_STS_REGIONAL_ENDPOINTS_ANNOTATION =
  'eks.amazonaws.com/sts-regional-endpoints';

/**
 * ServiceAccount and pod annotation setting the lifetime in seconds of the projected
 * web-identity token; the pod's annotation wins over the ServiceAccount's.
 *
 * @public
 */
export const IRSA_TOKEN_EXPIRATION_ANNOTATION =
  'eks.amazonaws.com/token-expiration';

/**
 * Pod annotation listing, comma-separated, the containers the pod identity webhook leaves
 * without credentials.
 *
 * @public
 */
export const IRSA_SKIP_CONTAINERS_ANNOTATION =
  'eks.amazonaws.com/skip-containers';
