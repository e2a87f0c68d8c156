import {
  type CheckResult,
  createCheckResult,
  IRSA_AUDIENCE_ANNOTATION,
  IRSA_ROLE_ARN_ANNOTATION,
  lintTrustPolicy,
  MANAGED_BY_VALUE,
  parseRoleArn,
  permissionsBoundaryCheck,
  podIdentityCheck,
  type PodIdentityAssociationSummary,
  podInjectionChecks,
  type PodStatus,
  providerRegistrationCheck,
  ROLE_ENTITY_REF_TAG,
  ROLE_MANAGED_BY_TAG,
  staticCredentialsCheck,
  STS_AUDIENCE,
  stsEndpointCheck,
  tokenExpirationCheck,
} from '@backstage-irsa/plugin-irsa-common';
import type { IrsaClusterConfig } from '../config';
import type {
  KubernetesGateway,
  PodRecord,
  ServiceAccountRecord,
} from '../kubernetes';
import type { AwsGatewayFactory } from './gateways';
import { resolveClusterProvider } from './issuerResolver';
import type { IssuerDiscoveryCache } from '../outbound';
import { discoveryFindings } from './discoveryFindings';

/** The outcome of checking one binding: checks in the order they were made, and pods. */
export interface BindingFindings {
  roleArn?: string;
  checks: CheckResult[];
  pods: PodStatus[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// The order overall verdicts follow: broken over unknown over warning over trusted.
const SEVERITY: Record<string, number> = {
  pass: 0,
  warn: 1,
  unknown: 2,
  fail: 3,
};

/**
 * One finding, one row: a code already reported for this binding (the evaluator's F3 and
 * the lint's more specific F3 for the same denial, say) keeps one row, with the lint's
 * detail and the worse status.
 */
function addFinding(checks: CheckResult[], check: CheckResult): void {
  const i = checks.findIndex(c => c.code === check.code);
  if (i < 0) {
    checks.push(check);
    return;
  }
  const worse =
    SEVERITY[check.status] > SEVERITY[checks[i].status] ? check : checks[i];
  checks[i] = { ...worse, detail: check.detail };
}

/** P10: whether a role this product manages was made for this entity. */
function roleOwnerCheck(
  tags: Record<string, string>,
  entityRef: string,
): CheckResult {
  const owner = tags[ROLE_ENTITY_REF_TAG];
  if (!owner) {
    return createCheckResult(
      'P10',
      'warn',
      `The role has no ${ROLE_ENTITY_REF_TAG} tag, so it cannot be shown to belong to ${entityRef}.`,
    );
  }
  return owner.toLocaleLowerCase('en-US') ===
    entityRef.toLocaleLowerCase('en-US')
    ? createCheckResult('P10', 'pass', `The role belongs to ${entityRef}.`)
    : createCheckResult(
        'P10',
        'warn',
        `The role belongs to ${owner}, not ${entityRef}: these pods run with another entity's AWS access.`,
      );
}

/** What EKS said of a ServiceAccount's Pod Identity associations (see podIdentityFinding). */
interface AssociationsRead {
  associations?: PodIdentityAssociationSummary[];
  /** Why the read was denied, when it was. */
  denied?: string;
}

/** Reads the associations of an EKS cluster's ServiceAccount; never throws. */
async function readPodIdentityAssociations(
  cluster: IrsaClusterConfig,
  namespace: string,
  name: string,
  aws: AwsGatewayFactory,
): Promise<AssociationsRead> {
  if (!cluster.eksClusterName) return {};
  try {
    const eks = await aws.eks(cluster.accountId, cluster.region);
    return {
      associations: await eks.listPodIdentityAssociations(
        cluster.eksClusterName,
        namespace,
        name,
      ),
    };
  } catch (e) {
    return (e as Error)?.name === 'NotAllowedError'
      ? { denied: describe(e) }
      : {};
  }
}

/** F11 from the pods and what was read of the associations. */
function podIdentityFromRead(
  pods: PodRecord[],
  { associations, denied }: AssociationsRead,
): CheckResult | undefined {
  const check = podIdentityCheck(pods, associations);
  if (denied && (!check || check.status === 'pass')) {
    return createCheckResult(
      'F11',
      'unknown',
      `Could not read the EKS Pod Identity associations: ${denied}${
        check ? ` ${check.detail}` : ''
      }`,
    );
  }
  return check;
}

/**
 * F11 from the pods and, for an EKS cluster, from its Pod Identity associations for this
 * ServiceAccount. Never throws: associations that cannot be read leave the pods' answer;
 * when the read was denied (the manager policy lacks eks:ListPodIdentityAssociations) and
 * the pods show nothing, the row is `unknown`. A peer without the API (moto) answers with
 * an error that is neither, and the row is the pods' answer alone.
 */
export async function podIdentityFinding(
  cluster: IrsaClusterConfig,
  namespace: string,
  name: string,
  pods: PodRecord[],
  aws: AwsGatewayFactory,
): Promise<CheckResult | undefined> {
  return podIdentityFromRead(
    pods,
    await readPodIdentityAssociations(cluster, namespace, name, aws),
  );
}

/**
 * Checks one ServiceAccount's IRSA chain, in the order a pod's SDK depends on it:
 * ServiceAccount (P2), role annotation (P3, F20), pods (F10, F23, F12) and the STS
 * endpoint and token lifetime settings (F14, F15), role (P4), provider in the role's
 * account (F1, or F2 when the role is in another account than the cluster) and its
 * audience (F6), trust for exactly this ServiceAccount (F3, lint codes), ownership (P5),
 * the role's entity (P10) and its permissions boundary when the guardrails require one
 * (S8). A link that cannot be read stops the chain with `unknown` (P8) rather than
 * guessing.
 */
export async function checkBinding(
  cluster: IrsaClusterConfig,
  namespace: string,
  name: string,
  k8s: KubernetesGateway,
  aws: AwsGatewayFactory,
  entityRef: string,
  options: {
    permissionsBoundaryArn?: string;
    /** irsa.guardrails.trustPolicySizeLimit; AWS's default quota without it. */
    trustPolicySizeLimit?: number;
    /** Issuer discovery through the outbound guard (F19, F9, F8, F7); none without it. */
    discovery?: IssuerDiscoveryCache;
    /** The ServiceAccount already read for this request (null: absent); read here if not. */
    serviceAccount?: ServiceAccountRecord | null;
  } = {},
): Promise<BindingFindings> {
  const checks: CheckResult[] = [];
  const where = `${namespace}/${name} on cluster ${cluster.name}`;

  let sa;
  try {
    sa =
      options.serviceAccount !== undefined
        ? options.serviceAccount
        : await k8s.getServiceAccount(namespace, name);
  } catch (e) {
    checks.push(
      createCheckResult(
        'P8',
        'unknown',
        `Could not read ServiceAccount ${where}: ${describe(e)}`,
      ),
    );
    return { checks, pods: [] };
  }
  if (!sa) {
    checks.push(
      createCheckResult(
        'P2',
        'fail',
        `ServiceAccount ${where} does not exist.`,
      ),
    );
    return { checks, pods: [] };
  }
  checks.push(
    createCheckResult('P2', 'pass', `ServiceAccount ${where} exists.`),
  );

  const roleArn = sa.annotations[IRSA_ROLE_ARN_ANNOTATION];
  if (!roleArn) {
    checks.push(
      createCheckResult(
        'P3',
        'fail',
        `${where} has no ${IRSA_ROLE_ARN_ANNOTATION} annotation.`,
      ),
    );
    return { checks, pods: [] };
  }
  checks.push(createCheckResult('P3', 'pass', `Annotated with ${roleArn}.`));
  const role = parseRoleArn(roleArn);
  if (!role.ok) {
    checks.push(
      createCheckResult(
        'F20',
        'fail',
        role.problems.map(p => p.message).join(' '),
      ),
    );
    return { roleArn, checks, pods: [] };
  }
  checks.push(
    createCheckResult('F20', 'pass', `${roleArn} is a valid role ARN.`),
  );

  const { accountId, name: roleName } = role.value;
  // The pods, the Pod Identity associations and the role are read at once: independent
  // round trips to three peers, so a card after a write waits for the slowest one, not for
  // all three in turn (docs/benchmarks.md). Failures are still reported below, in the
  // checks' order.
  const associationsRead = readPodIdentityAssociations(
    cluster,
    namespace,
    name,
    aws,
  );
  const iamClient = aws.iam(accountId, cluster.region);
  const roleRead = iamClient.then(iam => iam.getRole(roleName));
  roleRead.catch(() => undefined); // handled where it is awaited; no unhandled rejection

  let pods: PodStatus[] = [];
  try {
    const records = await k8s.listPodsOf(namespace, name);
    const injection = podInjectionChecks(records, roleArn);
    pods = injection.pods;
    checks.push(...injection.checks);
    const staticCredentials = staticCredentialsCheck(records);
    if (staticCredentials) checks.push(staticCredentials);
    checks.push(
      stsEndpointCheck(sa.annotations, records, role.value.partition),
      tokenExpirationCheck(sa.annotations, records),
    );
    const podIdentity = podIdentityFromRead(records, await associationsRead);
    if (podIdentity) checks.push(podIdentity);
  } catch (e) {
    checks.push(
      createCheckResult(
        'P8',
        'unknown',
        `Could not list pods in ${namespace}: ${describe(e)}`,
      ),
    );
  }

  try {
    const iam = await iamClient;
    const stored = await roleRead;
    if (!stored) {
      checks.push(
        createCheckResult('P4', 'fail', `Role ${roleArn} does not exist.`),
      );
      return { roleArn, checks, pods };
    }
    checks.push(createCheckResult('P4', 'pass', `Role ${roleArn} exists.`));

    const clusterProvider = await resolveClusterProvider(
      aws,
      cluster,
      accountId,
    );
    const { providerArn } = clusterProvider;
    const provider = await iam.getOidcProvider(providerArn);
    checks.push(
      providerRegistrationCheck({
        roleAccountId: accountId,
        clusterName: cluster.name,
        clusterAccountId: cluster.accountId,
        providerArn,
        exists: Boolean(provider),
      }),
    );
    const boundary = permissionsBoundaryCheck(
      options.permissionsBoundaryArn,
      stored.permissionsBoundaryArn,
    );
    if (!provider) {
      if (boundary) checks.push(boundary);
      return { roleArn, checks, pods };
    }
    const audience = sa.annotations[IRSA_AUDIENCE_ANNOTATION] ?? STS_AUDIENCE;
    checks.push(
      provider.clientIds.includes(audience)
        ? createCheckResult(
            'F6',
            'pass',
            `The provider accepts audience ${audience}.`,
          )
        : createCheckResult(
            'F6',
            'fail',
            `The provider's audiences (${
              provider.clientIds.join(', ') || 'none'
            }) lack ${audience}.`,
          ),
    );
    if (options.discovery) {
      for (const c of await discoveryFindings(
        cluster.name,
        clusterProvider,
        provider,
        options.discovery,
      )) {
        checks.push(c);
      }
    }

    const lint = lintTrustPolicy({
      policy: stored.trustPolicy as object,
      providerArn,
      serviceAccount: { namespace, name },
      audience,
      sizeLimit: options.trustPolicySizeLimit,
    });
    const evaluation = lint.evaluation;
    if (!evaluation) {
      checks.push(
        createCheckResult(
          'P7',
          'unknown',
          'The trust policy is malformed and was not evaluated.',
        ),
      );
    } else if (evaluation.decision === 'indeterminate') {
      checks.push(createCheckResult('P7', 'unknown', evaluation.explanation));
    } else {
      checks.push(
        createCheckResult(
          'F3',
          evaluation.allowed ? 'pass' : 'fail',
          evaluation.explanation,
        ),
      );
    }
    for (const finding of lint.findings) {
      // A trust that lets more in than intended still works: S-codes are risks (warn), so
      // the card never calls working access broken; what cannot be decided (P7) stays
      // unknown rather than failed.
      let status: CheckResult['status'] =
        finding.severity === 'error' ? 'fail' : 'warn';
      if (finding.code.startsWith('S')) status = 'warn';
      if (finding.code === 'P7') status = 'unknown';
      let detail = finding.message;
      // IAM stored this trust, so it works: a trust over the limit only has no room (F18).
      if (finding.code === 'F18') {
        status = 'warn';
        detail += ` IAM accepted it, so this account's quota is higher than the limit backstage-irsa was given: set irsa.guardrails.trustPolicySizeLimit to the raised quota.`;
      }
      addFinding(checks, createCheckResult(finding.code, status, detail));
    }
    const managed = stored.tags[ROLE_MANAGED_BY_TAG] === MANAGED_BY_VALUE;
    checks.push(
      managed
        ? createCheckResult(
            'P5',
            'pass',
            'The role was created by backstage-irsa.',
          )
        : createCheckResult(
            'P5',
            'warn',
            'The role was not created by backstage-irsa; it will not change it.',
          ),
    );
    if (managed) checks.push(roleOwnerCheck(stored.tags, entityRef));
    if (boundary) checks.push(boundary);
  } catch (e) {
    checks.push(
      createCheckResult(
        'P8',
        'unknown',
        `Could not read IAM in account ${accountId}: ${describe(e)}`,
      ),
    );
  }
  return { roleArn, checks, pods };
}
