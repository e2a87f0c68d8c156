import { parseOidcProviderArn } from '../arn';
import { ASSUME_ROLE_WITH_WEB_IDENTITY, STS_AUDIENCE } from '../constants';
import { oidcConditionKey } from '../issuer';
import { ParseResult, Problem, quote } from '../problems';
import { serviceAccountSubject } from '../serviceAccountSubject';
import { audienceProblems } from '../validators/audience';
import {
  namespaceProblems,
  serviceAccountNameProblems,
} from '../validators/kubernetesNames';
import { canonicalizePolicyDocument } from './canonicalPolicy';
import { hasWildcard } from './stringMatch';
import { PolicyCondition, PolicyDocument, PolicyStatement } from './types';

/**
 * A subject the trust policy admits: one ServiceAccount (`name`), or — only when the
 * caller allows patterns — ServiceAccounts of one fixed namespace whose name matches
 * `namePattern` (`*` and `?` as in `StringLike`).
 *
 * @public
 */
export type TrustSubject =
  | { namespace: string; name: string }
  | { namespace: string; namePattern: string };

/**
 * Input of the trust policy builder for one cluster.
 *
 * @public
 */
export interface TrustStatementInput {
  /** ARN of the cluster issuer's IAM OIDC provider in the role's account. */
  providerArn: string;
  subjects: readonly TrustSubject[];
  /** Token audience; `sts.amazonaws.com` when omitted. */
  audience?: string;
  /** Whether `namePattern` subjects are permitted (a guardrail decision, off by default). */
  allowPatterns?: boolean;
}

const PATTERN_CHARS = /^[a-z0-9.\-*?]+$/;

function subjectProblems(
  subject: TrustSubject,
  i: number,
  allowPatterns: boolean,
): Problem[] {
  const field = `subjects[${i}]`;
  const problems = namespaceProblems(subject.namespace, `${field}.namespace`);
  if ('name' in subject) {
    return [
      ...problems,
      ...serviceAccountNameProblems(subject.name, `${field}.name`),
    ];
  }
  const pattern = subject.namePattern;
  const example = `{ namespace: ${quote(
    subject.namespace,
  )}, namePattern: "payments-*" }`;
  if (!allowPatterns) {
    problems.push({
      field: `${field}.namePattern`,
      message: `The subject pattern ${quote(
        pattern,
      )} is not allowed here: patterns widen the trust to every matching ServiceAccount and must be enabled explicitly; name one ServiceAccount instead (for example { namespace: ${quote(
        subject.namespace,
      )}, name: "payments-api" }).`,
    });
    return problems;
  }
  if (
    pattern.length > 253 ||
    !PATTERN_CHARS.test(pattern) ||
    !/^[a-z0-9]/.test(pattern)
  ) {
    problems.push({
      field: `${field}.namePattern`,
      message: `The subject pattern ${quote(
        pattern,
      )} is not valid: it must start with a lower-case letter or digit, use only lower-case letters, digits, "-", "." and the wildcards "*" and "?", and be at most 253 characters, so a bare "*" (every ServiceAccount of the namespace) is refused (for example ${example}).`,
    });
  } else if (!hasWildcard(pattern)) {
    problems.push({
      field: `${field}.namePattern`,
      message: `The subject pattern ${quote(
        pattern,
      )} has no wildcard: give it as an exact name instead (for example { namespace: ${quote(
        subject.namespace,
      )}, name: ${quote(pattern)} }).`,
    });
  }
  return problems;
}

/**
 * Builds the trust statement for one cluster: `Allow` `sts:AssumeRoleWithWebIdentity` for
 * the provider, with `StringEquals` on `<key>:aud` and on `<key>:sub` — or `StringLike` on
 * `<key>:sub` when any subject is a pattern.
 *
 * @remarks
 * With patterns, every subject goes under one `StringLike`: a separate `StringEquals` and
 * `StringLike` on the same key would be AND-ed by IAM and admit nothing. Exact names are
 * safe under `StringLike` because Kubernetes names cannot contain `*` or `?`. Subjects are
 * de-duplicated and sorted, so the output is canonical.
 *
 * @public
 */
export function buildTrustStatement(
  input: TrustStatementInput,
): ParseResult<PolicyStatement> {
  const problems: Problem[] = [];
  const provider = parseOidcProviderArn(input.providerArn, 'providerArn');
  if (!provider.ok) {
    problems.push(...provider.problems);
  }
  if (input.subjects.length === 0) {
    problems.push({
      field: 'subjects',
      message:
        'No subjects were given: a trust statement must name at least one ServiceAccount, or it would trust every ServiceAccount of the cluster (for example [{ namespace: "payments", name: "payments-api" }]).',
    });
  }
  input.subjects.forEach((s, i) =>
    problems.push(...subjectProblems(s, i, input.allowPatterns ?? false)),
  );
  const audience = input.audience ?? STS_AUDIENCE;
  problems.push(...audienceProblems(audience));
  if (!provider.ok || problems.length > 0) {
    return { ok: false, problems };
  }
  const hostPath = provider.value.hostPath;
  const subs = input.subjects.map(s =>
    serviceAccountSubject(s.namespace, 'name' in s ? s.name : s.namePattern),
  );
  const usesPattern = input.subjects.some(s => 'namePattern' in s);
  const audKey = oidcConditionKey(hostPath, 'aud');
  const subKey = oidcConditionKey(hostPath, 'sub');
  const condition: PolicyCondition = usesPattern
    ? { StringEquals: { [audKey]: audience }, StringLike: { [subKey]: subs } }
    : { StringEquals: { [audKey]: audience, [subKey]: subs } };
  const statement: PolicyStatement = {
    Effect: 'Allow',
    Principal: { Federated: input.providerArn },
    Action: ASSUME_ROLE_WITH_WEB_IDENTITY,
    Condition: condition,
  };
  const canonical = canonicalizePolicyDocument({ Statement: [statement] })
    .Statement as PolicyStatement[];
  return { ok: true, value: canonical[0] };
}

/**
 * Builds a complete trust policy (Version `2012-10-17`) holding the statement for one
 * cluster; see {@link buildTrustStatement}.
 *
 * @public
 */
export function buildTrustPolicy(
  input: TrustStatementInput,
): ParseResult<PolicyDocument> {
  const statement = buildTrustStatement(input);
  if (!statement.ok) {
    return statement;
  }
  return {
    ok: true,
    value: { Version: '2012-10-17', Statement: [statement.value] },
  };
}
