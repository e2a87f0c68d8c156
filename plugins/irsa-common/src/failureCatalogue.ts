/**
 * Every check code the product reports. Codes are stable public API: once shipped, a code
 * keeps its meaning; new checks get new codes.
 *
 * - `F*` failure modes and `S*` security checks keep the numbers of the project's IRSA
 *   research (gaps are modes the product cannot detect, such as F13 node IMDS exposure).
 * - `P*` are checks specific to this product (its configuration, catalog annotations,
 *   ownership and its own access).
 *
 * @public
 */
export const FAILURE_CODES = Object.freeze([
  'F1',
  'F2',
  'F3',
  'F4',
  'F5',
  'F6',
  'F7',
  'F8',
  'F9',
  'F10',
  'F11',
  'F12',
  'F14',
  'F15',
  'F16',
  'F18',
  'F19',
  'F20',
  'F22',
  'F23',
  'S1',
  'S2',
  'S3',
  'S4',
  'S5',
  'S8',
  'P1',
  'P2',
  'P3',
  'P4',
  'P5',
  'P6',
  'P7',
  'P8',
  'P9',
  'P10',
  'P11',
] as const);

/**
 * A check code from {@link FAILURE_CODES}.
 *
 * @public
 */
export type FailureCode = (typeof FAILURE_CODES)[number];

/**
 * One entry of the failure catalogue.
 *
 * @public
 */
export interface FailureCatalogueEntry {
  code: FailureCode;
  /** What the check verifies, phrased so it reads as a pass or a failure. */
  title: string;
  /** What a failure means, in a sentence or two. */
  meaning: string;
  /** What to do about it, in a sentence or two. */
  fix: string;
  /** Repository-relative link to the section of `docs/troubleshooting.md`. */
  docsUrl: string;
}

/**
 * Link to a code's section of the troubleshooting guide: `docs/troubleshooting.md#<code>`,
 * lower-cased as Markdown renderers build heading anchors. Pass `base` (e.g. the repository
 * URL) to make it absolute.
 *
 * @public
 */
export function troubleshootingUrl(code: FailureCode, base = ''): string {
  const prefix = base === '' ? '' : `${base.replace(/\/+$/, '')}/`;
  return `${prefix}docs/troubleshooting.md#${code.toLocaleLowerCase('en-US')}`;
}

type Draft = Omit<FailureCatalogueEntry, 'docsUrl'>;

const entries: Draft[] = [
  {
    code: 'F1',
    title: `OIDC provider registered in the role's account`,
    meaning: `The role's account has no IAM OIDC provider for the cluster's issuer, so STS rejects every token with "No OpenIDConnect provider found in your account".`,
    fix: `Register the issuer as an IAM OIDC provider in the account that owns the role (run the aws:oidc:ensure action or ask your AWS administrator), with client id sts.amazonaws.com.`,
  },
  {
    code: 'F2',
    title: `Cross-account role has a provider in its own account`,
    meaning: `The role lives in a different account from the cluster, and that account has no OIDC provider for the cluster's issuer, so the token cannot be exchanged there.`,
    fix: `Create the OIDC provider for the cluster's issuer in the role's account (run the aws:oidc:ensure action with that accountId), or use a role in the cluster's account that chains into the target account.`,
  },
  {
    code: 'F3',
    title: `Trust policy allows this ServiceAccount`,
    meaning: `The role's trust policy does not allow this ServiceAccount's token: wrong provider (for example an old or another cluster), wrong namespace or name, or an audience mismatch. STS answers AccessDenied for sts:AssumeRoleWithWebIdentity.`,
    fix: `Update the trust policy so a statement for this cluster's provider pins <issuer>:sub to system:serviceaccount:<namespace>:<name> and <issuer>:aud to the audience; re-running the create-role action does this.`,
  },
  {
    code: 'F4',
    title: `Condition keys use the issuer host and path`,
    meaning: `A condition key is written with https:// or an ARN prefix. IAM rejects the first form ("Condition can contain only one colon") and never matches the second, so the statement cannot allow anything.`,
    fix: `Write condition keys as <issuer host/path>:sub and <issuer host/path>:aud, for example oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub.`,
  },
  {
    code: 'F5',
    title: `No wildcards under StringEquals`,
    meaning: `A StringEquals value contains * or ?, which IAM compares literally, so the intended pattern never matches and STS answers AccessDenied.`,
    fix: `Use StringLike for patterns (with a fixed namespace), or list the exact ServiceAccount names under StringEquals.`,
  },
  {
    code: 'F6',
    title: `Token audience accepted by the provider`,
    meaning: `The audience the ServiceAccount's token carries is not in the OIDC provider's client id list (a typo, stray white space or a custom eks.amazonaws.com/audience annotation), so STS answers "Incorrect token audience".`,
    fix: `Add the audience to the provider's client ids, or remove the custom audience annotation so the default sts.amazonaws.com is used.`,
  },
  {
    code: 'F7',
    title: `Provider thumbprint matches the issuer's certificate`,
    meaning: `For an issuer whose certificate is not signed by a CA that IAM trusts, the provider's thumbprint list does not match the certificate chain, so STS rejects the token.`,
    fix: `Update the provider's thumbprint list to the issuer's current certificate chain; EKS-hosted issuers do not need this.`,
  },
  {
    code: 'F8',
    title: `STS can fetch the issuer's signing keys`,
    meaning: `STS could not retrieve the verification keys from the issuer (discovery document or JWKS not public, wrong jwks_uri, missing key id), or hit a transient error.`,
    fix: `Make <issuer>/.well-known/openid-configuration and its jwks_uri publicly reachable over HTTPS and check the key ids; retry if the error was transient.`,
  },
  {
    code: 'F9',
    title: `Issuer spelled the same everywhere`,
    meaning: `The cluster's issuer, the provider URL, the discovery document and the token's iss differ (scheme, trailing slash, port or host case), so the provider does not match the token.`,
    fix: `Register the provider with exactly the cluster's issuer host and path, and fix any trailing slash or port in the issuer configuration.`,
  },
  {
    code: 'F10',
    title: `Pods started after the ServiceAccount was annotated`,
    meaning: `The webhook injects credentials only when a pod is created; pods started before the role annotation (or without the injected token volume) run with the node's credentials.`,
    fix: `Restart the workload (for example kubectl rollout restart deployment/<name>) so new pods get the role.`,
  },
  {
    code: 'F11',
    title: `Only one credential method configured`,
    meaning: `The ServiceAccount has both an IRSA role annotation and an EKS Pod Identity association; Pod Identity takes precedence, so pods do not use the annotated role.`,
    fix: `Delete the Pod Identity association or remove the IRSA annotation, whichever method you do not intend to use.`,
  },
  {
    code: 'F12',
    title: `No other AWS credentials override the role`,
    meaning: `A container sets static AWS credentials (for example AWS_ACCESS_KEY_ID) that the SDK prefers over the web-identity token, or its SDK is too old to read the token.`,
    fix: `Remove static AWS credentials from the pod, and upgrade the AWS SDK to a version that supports web identity.`,
  },
  {
    code: 'F14',
    title: `STS endpoint matches the region setting`,
    meaning: `The ServiceAccount's STS endpoint setting and the application disagree (regional versus global endpoint), which can fail with "Credential should be scoped to a valid region".`,
    fix: `Set eks.amazonaws.com/sts-regional-endpoints: "true" on the ServiceAccount and use regional STS endpoints in the application (in China regions, also set AWS_REGION).`,
  },
  {
    code: 'F15',
    title: `Token lifetime annotation in range`,
    meaning: `The eks.amazonaws.com/token-expiration annotation is outside 600–86400 seconds, or the application reads the token file only once and fails when it rotates.`,
    fix: `Set the expiration between 600 and 86400 seconds (or remove it), and use an SDK that re-reads the token file.`,
  },
  {
    code: 'F16',
    title: `IAM change has propagated`,
    meaning: `The role or its trust policy changed in the last minute; IAM is eventually consistent, so STS may still deny the call for a short while.`,
    fix: `Wait a minute and run Verify again; no change is needed if it then succeeds.`,
  },
  {
    code: 'F18',
    title: `Trust policy and provider quotas have room`,
    meaning: `The trust policy would exceed the role trust policy size quota (2,048 characters by default, white space not counted), or the account has reached its OIDC provider quota.`,
    fix: `Remove statements for clusters no longer used, keep one statement per cluster, raise the quota (then set irsa.guardrails.trustPolicySizeLimit to it), or use one role per cluster.`,
  },
  {
    code: 'F19',
    title: `Issuer reachable from the backend`,
    meaning: `The backend could not resolve or fetch the cluster's issuer (for example from inside a VPC with a private DNS view), so provider checks could not run.`,
    fix: `Allow the backend to reach the issuer over HTTPS, or create the provider without fetching a thumbprint; IAM no longer needs one for EKS issuers.`,
  },
  {
    code: 'F20',
    title: `Role ARN annotation is a valid role ARN`,
    meaning: `The eks.amazonaws.com/role-arn annotation is not a valid IAM role ARN (wrong partition, extra colon, not a role), so STS answers "Request ARN is invalid".`,
    fix: `Set the annotation to a role ARN of the form arn:aws:iam::123456789012:role/<name>, using the partition of the cluster's region.`,
  },
  {
    code: 'F22',
    title: `Names within AWS and Kubernetes limits`,
    meaning: `A derived name exceeds a limit (role name over 64 characters, path over 512, namespace over 63, ServiceAccount name over 253) or uses characters the service rejects.`,
    fix: `Shorten the name or the prefix; the validation message says which limit and gives a valid example.`,
  },
  {
    code: 'F23',
    title: `Every container receives the credentials`,
    meaning: `Some containers of the pod were skipped by the webhook (eks.amazonaws.com/skip-containers) or added after injection, so they have no web-identity token.`,
    fix: `Remove the containers from the skip list, or restart the pod so all containers are injected.`,
  },
  {
    code: 'S1',
    title: `Trust names the ServiceAccount, not only the audience`,
    meaning: `The trust policy checks the audience but not the subject, so every ServiceAccount in the cluster (every one that shares the issuer) can assume the role.`,
    fix: `Add StringEquals on <issuer>:sub with system:serviceaccount:<namespace>:<name> to the statement.`,
  },
  {
    code: 'S2',
    title: `Subject without wildcards`,
    meaning: `The subject condition uses a wildcard, so any ServiceAccount whose name matches — including ones created later by anyone who can create them in that namespace — can assume the role.`,
    fix: `List exact ServiceAccount names; if a pattern is unavoidable, fix the namespace and keep a literal name prefix.`,
  },
  {
    code: 'S3',
    title: `Audience condition present`,
    meaning: `The trust policy does not pin the token audience, so tokens the same ServiceAccount obtains for other audiences are accepted too.`,
    fix: `Add StringEquals on <issuer>:aud with sts.amazonaws.com (or your configured audience).`,
  },
  {
    code: 'S4',
    title: `No set operators on sub or aud`,
    meaning: `ForAnyValue or ForAllValues is used on the single-valued sub or aud key; ForAllValues is true when the key is absent, so such conditions can be wider than they read.`,
    fix: `Use plain StringEquals (or StringLike) on <issuer>:sub and <issuer>:aud.`,
  },
  {
    code: 'S5',
    title: `Role dedicated to one workload`,
    meaning: `The role is trusted by several namespaces or clusters, so a compromise of one workload gives access meant for the others.`,
    fix: `Give each application and environment its own role; keep shared roles only where that is intended.`,
  },
  {
    code: 'S8',
    title: `Permissions boundary set`,
    meaning: `The role has no permissions boundary, or another one than the organisation's guardrails require, so its permissions are not limited as intended.`,
    fix: `Attach the organisation's permissions boundary to the role (iam:PutRolePermissionsBoundary, or in the tool that manages the role); the create-role action sets it only when it creates a role.`,
  },
  {
    code: 'P1',
    title: `Cluster configured in Backstage`,
    meaning: `The binding names a cluster that is not in irsa.clusters, so the product cannot look it up.`,
    fix: `Add the cluster to irsa.clusters in app-config, or correct the cluster name in the entity's annotation.`,
  },
  {
    code: 'P2',
    title: `ServiceAccount exists`,
    meaning: `The ServiceAccount the entity names does not exist in the cluster, so no pod can use the role through it.`,
    fix: `Run the "Request AWS access" template for this service (the card's button): it creates the ServiceAccount. Or correct the namespace and name in the entity's irsa.backstage.io/service-accounts annotation.`,
  },
  {
    code: 'P3',
    title: `ServiceAccount annotated with a role`,
    meaning: `The ServiceAccount has no eks.amazonaws.com/role-arn annotation, so pods using it get no AWS role.`,
    fix: `Run the "Request AWS access" template for this service (the card's button): it annotates the ServiceAccount with its role. Then restart the pods that use it.`,
  },
  {
    code: 'P4',
    title: `Annotated role exists`,
    meaning: `The role named in the annotation does not exist in IAM (deleted, renamed or in another account).`,
    fix: `Create the role (run the create-role action) or point the annotation at an existing role.`,
  },
  {
    code: 'P5',
    title: `Managed by backstage-irsa`,
    meaning: `The role or ServiceAccount lacks the product's ownership tags or labels, so the product reports on it but will not change it.`,
    fix: `Change it with the tool that owns it. A ServiceAccount can be adopted instead: run the template with adoptExisting: true (k8s:create-sa).`,
  },
  {
    code: 'P6',
    title: `ServiceAccounts annotation is valid`,
    meaning: `The entity's irsa.backstage.io/service-accounts annotation cannot be parsed, so the ServiceAccounts it names are not checked.`,
    fix: `Write it as comma-separated [cluster/]namespace/name entries, for example payments/payments-api, prod/payments/payments-worker.`,
  },
  {
    code: 'P7',
    title: `Trust policy can be evaluated`,
    meaning: `The trust policy is malformed, or whether it allows the ServiceAccount depends on keys only known when STS handles the call, so the product cannot decide statically.`,
    fix: `Run Verify to test the trust live, and simplify the trust policy to the sub and aud conditions the product builds.`,
  },
  {
    code: 'P8',
    title: `Backstage can read what it checks`,
    meaning: `The backend was denied or failed reading from AWS or the cluster, so this check's result is unknown rather than failed.`,
    fix: `If the detail says AWS or the Kubernetes API did not answer, try again once it answers. If it says the read was denied, grant the backend's role the read permissions listed in the plugin README (iam:GetRole, iam:GetOpenIDConnectProvider, eks:DescribeCluster, eks:ListPodIdentityAssociations, and get on serviceaccounts and pods).`,
  },
  {
    code: 'P9',
    title: `ServiceAccount belongs to this entity`,
    meaning: `The entity names a ServiceAccount the product does not tie to it: one created for another entity, or one in a namespace the entity may not use or no entity may use. The product neither reports on it nor verifies it.`,
    fix: `Remove it from the entity's irsa.backstage.io/service-accounts annotation, or request access for this entity in its own namespace with the "Request AWS access" template.`,
  },
  {
    code: 'P10',
    title: `Role belongs to this entity`,
    meaning: `The ServiceAccount's role was created by backstage-irsa for another entity (its backstage-irsa:entity-ref tag names someone else), so this entity's pods run with another team's AWS permissions.`,
    fix: `Request a role of this entity's own with the "Request AWS access" template and point the ServiceAccount at it; ask the role's owner if the sharing is intended.`,
  },
  {
    code: 'P11',
    title: `Annotation names the ServiceAccounts backstage-irsa made`,
    meaning: `The entity's irsa.backstage.io/service-accounts annotation names a ServiceAccount that does not exist, while backstage-irsa made another one for this entity (the template ran with another namespace or name). The card shows the one that exists.`,
    fix: `Replace the annotation's entry with the ServiceAccount the detail names, or remove the annotation: the card finds the ServiceAccounts the template made for the entity by their label.`,
  },
];

/**
 * The failure catalogue: one frozen entry per code, in {@link FAILURE_CODES} order. The
 * backend, the actions and the card all take titles and fixes from here.
 *
 * @public
 */
export const FAILURE_CATALOGUE: readonly FailureCatalogueEntry[] =
  Object.freeze(
    entries.map(e =>
      Object.freeze({ ...e, docsUrl: troubleshootingUrl(e.code) }),
    ),
  );

const byCode = new Map<string, FailureCatalogueEntry>(
  FAILURE_CATALOGUE.map(e => [e.code, e]),
);

/**
 * True when `value` is a catalogue code.
 *
 * @public
 */
export function isFailureCode(value: string): value is FailureCode {
  return byCode.has(value);
}

/**
 * The catalogue entry for a code.
 *
 * @public
 */
export function getFailure(code: FailureCode): FailureCatalogueEntry {
  return byCode.get(code)!;
}
