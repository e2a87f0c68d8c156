import {
  createCheckResult,
  IRSA_AUDIENCE_ANNOTATION,
  IRSA_ROLE_ARN_ANNOTATION,
  namespaceProblems,
  parseRoleArn,
  serviceAccountNameProblems,
  STS_AUDIENCE,
  type CheckResult,
  type VerifyResult,
} from '@backstage-irsa/plugin-irsa-common';
import { NotFoundError } from '@backstage/errors';
import type { StsGateway } from '../aws';
import type { ClusterRegistry } from '../config';
import { throwInputProblems } from './inputProblems';
import type { KubernetesGatewayFactory } from './ServiceAccountService';

/** The shortest lifetime TokenRequest accepts; the token is used once, at once. */
const TOKEN_SECONDS = 600;

/** STS refusals, by what they mean for IRSA (the failure catalogue's codes). */
function checkForStsError(code: string, message: string): CheckResult {
  const detail = `STS refused: ${code}: ${message}`;
  if (code === 'AccessDeniedException' || code === 'AccessDenied') {
    return createCheckResult('F3', 'fail', detail);
  }
  if (
    code === 'InvalidIdentityTokenException' ||
    code === 'InvalidIdentityToken'
  ) {
    return createCheckResult(
      /audience/i.test(message) ? 'F6' : 'F1',
      'fail',
      detail,
    );
  }
  if (
    code === 'IDPCommunicationErrorException' ||
    code === 'IDPCommunicationError'
  ) {
    return createCheckResult('F8', 'fail', detail);
  }
  return createCheckResult('P8', 'unknown', detail);
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
  ) {}

  async verify(target: {
    cluster: string;
    namespace: string;
    name: string;
  }): Promise<VerifyResult> {
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
    const outcome = await this.stsFor(cluster.region).verifyWebIdentity({
      roleArn,
      sessionName: `backstage-irsa-verify-${Date.now()}`,
      token,
    });
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
      check: checkForStsError(outcome.errorCode, outcome.message),
    };
  }
}
