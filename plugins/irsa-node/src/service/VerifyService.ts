import {
  createCheckResult,
  IRSA_AUDIENCE_ANNOTATION,
  IRSA_ROLE_ARN_ANNOTATION,
  namespaceProblems,
  parseRoleArn,
  ROLE_TRUST_UPDATED_AT_TAG,
  serviceAccountNameProblems,
  STS_AUDIENCE,
  type CheckResult,
  type VerifyResult,
} from '@backstage-irsa/plugin-irsa-common';
import { NotFoundError } from '@backstage/errors';
import type { StsGateway, WebIdentityOutcome } from '../aws';
import type { ClusterRegistry, IrsaClusterConfig } from '../config';
import type { AwsGatewayFactory } from './gateways';
import { throwInputProblems } from './inputProblems';
import { tokenIssuerProblem } from './tokenChecks';
import type { KubernetesGatewayFactory } from './ServiceAccountService';

/** The shortest lifetime TokenRequest accepts; the token is used once, at once. */
const TOKEN_SECONDS = 600;

/**
 * STS refusals, by what they mean for IRSA (the failure catalogue's codes). A missing
 * provider is F2 rather than F1 when the role is in another account than the cluster, as
 * the card reports it.
 */
function checkForStsError(
  code: string,
  message: string,
  crossAccount?: { roleAccountId: string; clusterAccountId: string },
): CheckResult {
  const detail = `STS refused: ${code}: ${message}`;
  if (code === 'AccessDeniedException' || code === 'AccessDenied') {
    return createCheckResult('F3', 'fail', detail);
  }
  if (
    code === 'InvalidIdentityTokenException' ||
    code === 'InvalidIdentityToken'
  ) {
    // "Couldn't retrieve verification key from your identity provider" is STS failing to read
    // the issuer's JWKS (F8), not a missing provider.
    if (/audience/i.test(message))
      return createCheckResult('F6', 'fail', detail);
    if (/verification key/i.test(message)) {
      return createCheckResult('F8', 'fail', detail);
    }
    return crossAccount
      ? createCheckResult(
          'F2',
          'fail',
          `${detail} The role is in account ${crossAccount.roleAccountId}, the cluster in account ${crossAccount.clusterAccountId}: account ${crossAccount.roleAccountId} needs its own IAM OIDC provider for the cluster's issuer.`,
        )
      : createCheckResult('F1', 'fail', detail);
  }
  if (
    code === 'IDPCommunicationErrorException' ||
    code === 'IDPCommunicationError'
  ) {
    return createCheckResult('F8', 'fail', detail);
  }
  return createCheckResult('P8', 'unknown', detail);
}

/** The role's and the cluster's accounts when they differ, else undefined. */
function crossAccountOf(roleArn: string, cluster: IrsaClusterConfig) {
  const parsed = parseRoleArn(roleArn);
  if (!parsed.ok || parsed.value.accountId === cluster.accountId) {
    return undefined;
  }
  return {
    roleAccountId: parsed.value.accountId,
    clusterAccountId: cluster.accountId,
  };
}

/** F20 when `roleArn` is not a valid role ARN, else undefined. */
function invalidRoleArn(roleArn: string): CheckResult | undefined {
  const parsed = parseRoleArn(roleArn);
  if (parsed.ok) return undefined;
  return createCheckResult(
    'F20',
    'fail',
    `${parsed.problems.map(p => p.message).join(' ')} STS was not called.`,
  );
}

/** IAM takes up to a minute to carry a new role to STS (F16). */
export const PROPAGATION_WINDOW_MS = 60_000;

/** The first pause before asking STS again; each retry doubles it. */
const FIRST_RETRY_MS = 1_000;

/** The longest wait for propagation a caller may ask for (aws:irsa:verify's waitSeconds). */
export const MAX_VERIFY_WAIT_SECONDS = 300;

/**
 * With a caller's wait, pauses stop doubling here: at most 20 asks of STS over the longest
 * wait (1, 2, 4, 8, 16, then every 20 s), all with the one token minted for the verify.
 */
const MAX_RETRY_PAUSE_MS = 20_000;

/** How a verify may wait for IAM propagation. */
export interface VerifyOptions {
  /**
   * Keep asking STS for up to this long after its first refusal, while the refusal is one
   * IAM propagation explains: AccessDenied, or InvalidIdentityToken for a provider STS does
   * not know yet (a provider made moments ago), and the role was created or its trust
   * updated by the product less than this long (or a minute, whichever is longer) before.
   * At most {@link MAX_VERIFY_WAIT_SECONDS}. Without it, the card's rule: only AccessDenied,
   * only within the minute after the role's change.
   */
  waitMs?: number;
}

/** Time as Verify sees it; tests inject their own. */
export interface VerifyClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemClock: VerifyClock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
};

function isAccessDenied(outcome: WebIdentityOutcome): boolean {
  return (
    !outcome.ok &&
    (outcome.errorCode === 'AccessDenied' ||
      outcome.errorCode === 'AccessDeniedException')
  );
}

/**
 * A refusal IAM propagation explains: AccessDenied (a trust STS has not seen yet) and,
 * with `provider`, InvalidIdentityToken for a provider STS does not know yet (F1/F2; not
 * the audience, F6, nor the issuer's keys, F8, which no wait mends).
 */
function isPropagationRefusal(
  outcome: WebIdentityOutcome,
  provider: boolean,
): boolean {
  if (outcome.ok) return false;
  if (isAccessDenied(outcome)) return true;
  return (
    provider &&
    (outcome.errorCode === 'InvalidIdentityToken' ||
      outcome.errorCode === 'InvalidIdentityTokenException') &&
    !/audience|verification key/i.test(outcome.message)
  );
}

/** The role's last change Verify knows of: its creation or the product's trust update. */
interface RoleChange {
  at: number;
  what: 'created' | 'trust updated';
}

/** What the propagation retries found: the last outcome, and how the window looked. */
interface Propagation {
  outcome: WebIdentityOutcome;
  change: RoleChange;
  /** Milliseconds between the change and the first denial. */
  changedAgoMs: number;
  retries: number;
}

/**
 * The later of the role's CreateDate and the trust update the product stamped in
 * {@link ROLE_TRUST_UPDATED_AT_TAG}; undefined when neither is a date.
 */
export function lastRoleChange(role: {
  createDate?: string;
  tags: Record<string, string>;
}): RoleChange | undefined {
  const created = Date.parse(role.createDate ?? '');
  const trust = Date.parse(role.tags[ROLE_TRUST_UPDATED_AT_TAG] ?? '');
  if (Number.isNaN(created) && Number.isNaN(trust)) return undefined;
  return !Number.isNaN(trust) && (Number.isNaN(created) || trust > created)
    ? { at: trust, what: 'trust updated' }
    : { at: created, what: 'created' };
}

/**
 * F16: STS denies a role IAM has not finished propagating. When the role was created, or
 * its trust updated by the product, less than {@link PROPAGATION_WINDOW_MS} ago, ask again
 * with exponential backoff (1 s, 2 s, 4 s, ...) until it answers otherwise or the window
 * closes. With a caller's `waitMs` (aws:irsa:verify), a change younger than the wait counts
 * too, the retries go on until `waitMs` after the first refusal (pauses capped at
 * {@link MAX_RETRY_PAUSE_MS}), and a provider STS does not know yet is waited for as well.
 * Undefined when the change is older, or cannot be read (then the refusal stands, as
 * before).
 */
async function retryWhilePropagating(
  change: RoleChange | undefined,
  first: WebIdentityOutcome,
  call: () => Promise<WebIdentityOutcome>,
  clock: VerifyClock,
  waitMs?: number,
): Promise<Propagation | undefined> {
  if (!change) return undefined;
  const start = clock.now();
  const changedAgoMs = start - change.at;
  const waiting = waitMs !== undefined;
  if (changedAgoMs >= Math.max(PROPAGATION_WINDOW_MS, waitMs ?? 0)) {
    return undefined;
  }
  const deadline = waiting ? start + waitMs : change.at + PROPAGATION_WINDOW_MS;
  let outcome = first;
  let retries = 0;
  let pause = FIRST_RETRY_MS;
  while (isPropagationRefusal(outcome, waiting)) {
    const left = deadline - clock.now();
    if (left <= 0) break;
    await clock.sleep(Math.min(pause, left));
    pause = waiting ? Math.min(pause * 2, MAX_RETRY_PAUSE_MS) : pause * 2;
    retries += 1;
    outcome = await call();
  }
  return { outcome, change, changedAgoMs, retries };
}

/** The F16 row for a role still denied when its propagation window closed. */
function propagatingCheck(
  p: Propagation & { outcome: { ok: false } },
): CheckResult {
  const ago = Math.max(0, Math.round(p.changedAgoMs / 1000));
  return createCheckResult(
    'F16',
    'warn',
    `Propagating: ${
      p.change.what === 'created'
        ? 'the role was created'
        : "the role's trust was updated"
    } ${ago} s ago, and IAM takes up to a minute to reach STS. ` +
      `STS refused: ${p.outcome.errorCode}: ${p.outcome.message} (asked ${
        p.retries + 1
      } times). Run Verify again in a minute; if it is still denied, the trust does not allow this ServiceAccount (F3).`,
  );
}

/**
 * Live verify: mint a short-lived token for the ServiceAccount exactly as the kubelet
 * would, call AssumeRoleWithWebIdentity with it as a pod's SDK would (unsigned, with a
 * deny-all session policy), and ask GetCallerIdentity who AWS says we are. The token and
 * the credentials never leave this function.
 */
export class VerifyService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly k8sFor: KubernetesGatewayFactory,
    private readonly stsFor: (region: string) => StsGateway,
    /** To read the role's creation date after a denial (F16); without it, no retries. */
    private readonly gateways?: AwsGatewayFactory,
    private readonly clock: VerifyClock = systemClock,
  ) {}

  /** The role's last known change, or undefined when it cannot be read. */
  private async roleChange(
    cluster: IrsaClusterConfig,
    roleArn: string,
  ): Promise<RoleChange | undefined> {
    const parsed = parseRoleArn(roleArn);
    if (!this.gateways || !parsed.ok) return undefined;
    try {
      const iam = await this.gateways.iam(
        parsed.value.accountId,
        cluster.region,
      );
      const role = await iam.getRole(parsed.value.name);
      return role ? lastRoleChange(role) : undefined;
    } catch {
      return undefined;
    }
  }

  async verify(
    target: {
      cluster: string;
      namespace: string;
      name: string;
    },
    options: VerifyOptions = {},
  ): Promise<VerifyResult> {
    const waitMs =
      options.waitMs === undefined
        ? undefined
        : Math.min(Math.max(0, options.waitMs), MAX_VERIFY_WAIT_SECONDS * 1000);
    const problems = [
      ...namespaceProblems(target.namespace, 'namespace'),
      ...serviceAccountNameProblems(target.name, 'serviceAccount'),
    ];
    if (problems.length > 0) throwInputProblems('verify request', problems);
    const cluster = this.registry.get(target.cluster);
    const k8s = this.k8sFor(cluster.name);
    const sa = await k8s.getServiceAccount(target.namespace, target.name);
    if (!sa) {
      throw new NotFoundError(
        `ServiceAccount ${target.namespace}/${target.name} does not exist on cluster ${cluster.name}`,
      );
    }
    const roleArn = sa.annotations[IRSA_ROLE_ARN_ANNOTATION] ?? '';
    const base = {
      cluster: cluster.name,
      namespace: target.namespace,
      serviceAccount: target.name,
      roleArn,
    };
    // What the status already knows cannot succeed is not sent to STS: no token is
    // minted, and the answer is the same check the card shows.
    const staticFailure = !roleArn
      ? createCheckResult(
          'P3',
          'fail',
          `${target.namespace}/${target.name} has no ${IRSA_ROLE_ARN_ANNOTATION} annotation; STS was not called.`,
        )
      : invalidRoleArn(roleArn);
    if (staticFailure) {
      return {
        ...base,
        ok: false,
        stsCalled: false,
        check: staticFailure,
        verifiedAt: new Date().toISOString(),
      };
    }
    const audience = sa.annotations[IRSA_AUDIENCE_ANNOTATION] ?? STS_AUDIENCE;
    const token = await k8s.requestToken(
      target.namespace,
      target.name,
      audience,
      TOKEN_SECONDS,
    );
    // F9 (token iss) and F8 (token kid not in the JWKS) are certain refusals: STS is not asked.
    const tokenProblem = await tokenIssuerProblem(
      token,
      cluster,
      this.registry.outbound,
      this.gateways,
    );
    if (tokenProblem) {
      return {
        ...base,
        ok: false,
        stsCalled: false,
        check: tokenProblem,
        verifiedAt: new Date().toISOString(),
      };
    }
    const sts = this.stsFor(cluster.region);
    const login = {
      roleArn,
      sessionName: `backstage-irsa-verify-${Date.now()}`,
      token,
    };
    let outcome = await sts.verifyWebIdentity(login);
    const propagation = isPropagationRefusal(outcome, waitMs !== undefined)
      ? await retryWhilePropagating(
          await this.roleChange(cluster, roleArn),
          outcome,
          () => sts.verifyWebIdentity(login),
          this.clock,
          waitMs,
        )
      : undefined;
    if (propagation) outcome = propagation.outcome;
    const verifiedAt = new Date().toISOString();
    if (outcome.ok) {
      return {
        ...base,
        verifiedAt,
        ok: true,
        stsCalled: true,
        assumedRoleArn: outcome.assumedRoleArn,
        check: createCheckResult(
          'F3',
          'pass',
          `AWS says you are ${outcome.assumedRoleArn}`,
        ),
      };
    }
    return {
      ...base,
      verifiedAt,
      ok: false,
      stsCalled: true,
      stsErrorCode: outcome.errorCode,
      check:
        propagation && isAccessDenied(outcome)
          ? propagatingCheck({ ...propagation, outcome })
          : checkForStsError(
              outcome.errorCode,
              outcome.message,
              crossAccountOf(roleArn, cluster),
            ),
    };
  }
}
