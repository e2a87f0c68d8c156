import {
  ASSUME_ROLE_WITH_WEB_IDENTITY,
  DEFAULT_TRUST_POLICY_SIZE_LIMIT,
  STS_AUDIENCE,
} from '../constants';
import { FailureCode } from '../failureCatalogue';
import { serviceAccountSubject } from '../serviceAccountSubject';
import { iamPolicySize } from '../validators/policySize';
import {
  evaluateParsedTrustPolicy,
  TrustEvaluation,
} from './evaluateTrustPolicy';
import {
  ParsedPolicy,
  ParsedStatement,
  parsePolicyDocument,
} from './parsePolicyDocument';
import {
  hostPathOfProviderArn,
  serviceAccountRequestContext,
} from './requestContext';
import { hasWildcard, matchesWildcard } from './stringMatch';

/**
 * One lint finding; `code` is a failure catalogue code, so the finding links to its fix.
 *
 * @public
 */
export interface TrustPolicyFinding {
  code: FailureCode;
  severity: 'error' | 'warning';
  /** The statement the finding is about, when it is about one. */
  statementIndex?: number;
  message: string;
}

/**
 * What to lint a trust policy against.
 *
 * @public
 */
export interface LintTrustPolicyInput {
  policy: string | object;
  /** The OIDC provider ARN of the cluster the ServiceAccount lives in. */
  providerArn: string;
  serviceAccount: { namespace: string; name: string };
  /** Default `sts.amazonaws.com`. */
  audience?: string;
  /** Trust policy size quota; default 2,048. */
  sizeLimit?: number;
}

/**
 * Findings plus the evaluation for the given ServiceAccount (undefined when malformed).
 *
 * @public
 */
export interface TrustPolicyLint {
  findings: TrustPolicyFinding[];
  evaluation?: TrustEvaluation;
}

// Names no real workload uses: if a probe is allowed, the trust is wider than one account.
const PROBE_NAMESPACE = 'backstage-irsa-probe';
const PROBE_NAME = 'backstage-irsa-probe';
const PROBE_AUDIENCE = 'backstage-irsa-probe.invalid';

function trustsProvider(
  statement: ParsedStatement,
  providerArn: string,
): boolean {
  const p = statement.principal;
  if (!p) return false;
  if (p.any) return true;
  return (
    (p.byType.Federated ?? []).some(f => f === providerArn || f === '*') ||
    (p.byType.AWS ?? []).includes('*')
  );
}

function coversWebIdentity(statement: ParsedStatement): boolean {
  const listed = (statement.action ?? statement.notAction ?? []).some(a =>
    matchesWildcard(a, ASSUME_ROLE_WITH_WEB_IDENTITY, true),
  );
  return statement.action ? listed : !listed;
}

const claimOf = (key: string) =>
  key.slice(key.lastIndexOf(':') + 1).toLocaleLowerCase('en-US');

function syntaxFindings(policy: ParsedPolicy): TrustPolicyFinding[] {
  const findings: TrustPolicyFinding[] = [];
  for (const statement of policy.statements) {
    const at = `Statement[${statement.index}]`;
    for (const { operator, key, values } of statement.conditions) {
      const lower = key.toLocaleLowerCase('en-US');
      if (
        lower.startsWith('https://') ||
        lower.startsWith('http://') ||
        lower.startsWith('arn:')
      ) {
        findings.push({
          code: 'F4',
          severity: 'error',
          statementIndex: statement.index,
          message: `${at} uses the condition key "${key}": keys are "<issuer host/path>:<claim>" with no scheme or ARN prefix, so this condition never matches as intended (for example "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub").`,
        });
      }
      const claim = claimOf(key);
      if (operator.setOperator && (claim === 'sub' || claim === 'aud')) {
        findings.push({
          code: 'S4',
          severity: 'warning',
          statementIndex: statement.index,
          message: `${at} uses ${operator.name} on "${key}": sub and aud are single-valued, and ${operator.setOperator} changes how a missing key evaluates (ForAllValues is true when it is absent); use ${operator.base} without a set operator.`,
        });
      }
      if (
        operator.family === 'String' &&
        !operator.base.includes('Like') &&
        values.some(hasWildcard)
      ) {
        findings.push({
          code: 'F5',
          severity: 'error',
          statementIndex: statement.index,
          message: `${at} has ${operator.name} "${key}" with ${values
            .filter(hasWildcard)
            .map(v => JSON.stringify(v))
            .join(', ')}: under ${
            operator.base
          }, "*" and "?" are literal characters, not wildcards, so this compares text no real ServiceAccount has; use StringLike for a pattern (with a fixed namespace) or list exact names.`,
        });
      }
      if (
        statement.effect === 'Allow' &&
        claim === 'sub' &&
        operator.base === 'StringLike'
      ) {
        for (const value of values.filter(hasWildcard)) {
          const prefix = 'system:serviceaccount:';
          const rest = value.startsWith(prefix)
            ? value.slice(prefix.length)
            : undefined;
          const colon = rest?.indexOf(':') ?? -1;
          const fixedNamespace =
            rest !== undefined &&
            colon > 0 &&
            !hasWildcard(rest.slice(0, colon));
          findings.push({
            code: 'S2',
            severity: fixedNamespace ? 'warning' : 'error',
            statementIndex: statement.index,
            message: fixedNamespace
              ? `${at} trusts the subject pattern ${JSON.stringify(
                  value,
                )}: every ServiceAccount whose name matches, including ones created later in that namespace, can assume the role; list exact names if you can.`
              : `${at} trusts the subject pattern ${JSON.stringify(
                  value,
                )}, which does not fix the namespace: anyone who can create a matching ServiceAccount in any namespace can assume the role; pin the namespace (for example "system:serviceaccount:payments:payments-*").`,
          });
        }
      }
    }
  }
  return findings;
}

/**
 * Lints a trust policy against one ServiceAccount: each finding has a catalogue code.
 *
 * @remarks
 * Checks, in order: grammar (P7), condition keys with a scheme or ARN prefix (F4), set
 * operators on sub/aud (S4), wildcards under StringEquals (F5), wildcard subjects (S2),
 * audience-only trust (S1, by evaluating a probe ServiceAccount of another namespace),
 * missing audience (S3, by evaluating a probe audience), trust for another cluster's
 * issuer only or not for this ServiceAccount (F3), undecidable trust (P7) and size (F18).
 * S1 and S3 are semantic: they hold however the policy is spelled.
 *
 * @public
 */
export function lintTrustPolicy(input: LintTrustPolicyInput): TrustPolicyLint {
  const findings: TrustPolicyFinding[] = [];
  const parsed = parsePolicyDocument(input.policy, 'trust');
  const size = iamPolicySize(input.policy);
  const limit = input.sizeLimit ?? DEFAULT_TRUST_POLICY_SIZE_LIMIT;
  const sizeFinding: TrustPolicyFinding[] =
    size > limit
      ? [
          {
            code: 'F18',
            severity: 'error',
            message: `The trust policy is ${size} characters as IAM counts them (white space excluded), over the ${limit}-character quota: no ServiceAccount or cluster can be added to it.`,
          },
        ]
      : [];
  if (!parsed.ok) {
    findings.push({
      code: 'P7',
      severity: 'error',
      message: `The trust policy is malformed and was not evaluated: ${parsed.problems
        .map(p => p.message)
        .join(' ')}`,
    });
    return { findings: [...findings, ...sizeFinding] };
  }
  const policy = parsed.value;
  const audience = input.audience ?? STS_AUDIENCE;
  const { namespace, name } = input.serviceAccount;
  const context = (ns: string, sa: string, aud: string) =>
    serviceAccountRequestContext({
      providerArn: input.providerArn,
      namespace: ns,
      serviceAccount: sa,
      audience: aud,
    });

  findings.push(...syntaxFindings(policy));

  const probe = evaluateParsedTrustPolicy(
    policy,
    context(PROBE_NAMESPACE, PROBE_NAME, audience),
  );
  if (probe.allowed) {
    const which = probe.statements.filter(
      s => s.effect === 'Allow' && s.result === 'match',
    );
    findings.push({
      code: 'S1',
      severity: 'error',
      statementIndex: which[0]?.index,
      message: `${which
        .map(s => `Statement[${s.index}]`)
        .join(', ')} allows ${serviceAccountSubject(
        PROBE_NAMESPACE,
        PROBE_NAME,
      )}, a ServiceAccount that does not exist: any ServiceAccount in the cluster can assume this role. Pin <issuer>:sub to system:serviceaccount:${namespace}:${name}.`,
    });
  }
  const wrongAudience = evaluateParsedTrustPolicy(
    policy,
    context(namespace, name, PROBE_AUDIENCE),
  );
  if (wrongAudience.allowed) {
    const which = wrongAudience.statements.filter(
      s => s.effect === 'Allow' && s.result === 'match',
    );
    findings.push({
      code: 'S3',
      severity: 'error',
      statementIndex: which[0]?.index,
      message: `${which
        .map(s => `Statement[${s.index}]`)
        .join(
          ', ',
        )} allows a token with audience "${PROBE_AUDIENCE}": the audience is not pinned. Add StringEquals on <issuer>:aud with "${audience}".`,
    });
  }

  const evaluation = evaluateParsedTrustPolicy(
    policy,
    context(namespace, name, audience),
  );
  if (
    evaluation.decision === 'implicit-deny' ||
    evaluation.decision === 'explicit-deny'
  ) {
    const relevant = policy.statements.filter(
      s => s.effect === 'Allow' && coversWebIdentity(s),
    );
    const ours = relevant.filter(s => trustsProvider(s, input.providerArn));
    const others = [
      ...new Set(
        relevant
          .flatMap(s =>
            s.principal && !s.principal.any
              ? s.principal.byType.Federated ?? []
              : [],
          )
          .filter(
            f =>
              f !== input.providerArn && hostPathOfProviderArn(f) !== undefined,
          ),
      ),
    ];
    const message =
      ours.length === 0 && others.length > 0
        ? `The trust policy trusts only other issuers (${others.join(
            ', ',
          )}), not ${
            input.providerArn
          }: a statement for this cluster is missing, e.g. after a cluster was replaced.`
        : `The trust policy does not allow system:serviceaccount:${namespace}:${name} with audience "${audience}": ${
            evaluation.explanation
          } ${evaluation.statements.map(s => s.explanation).join(' ')}`;
    findings.push({ code: 'F3', severity: 'error', message });
  } else if (evaluation.decision === 'indeterminate') {
    findings.push({
      code: 'P7',
      severity: 'warning',
      message: `Whether the trust policy allows system:serviceaccount:${namespace}:${name} cannot be decided statically: ${evaluation.explanation} Use Verify to test it live.`,
    });
  }
  findings.push(...sizeFinding);
  return { findings, evaluation };
}
