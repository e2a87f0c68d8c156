import { ASSUME_ROLE_WITH_WEB_IDENTITY } from '../constants';
import { Problem } from '../problems';
import { stringOperatorMatches } from './conditionOperators';
import {
  ParsedCondition,
  ParsedPolicy,
  ParsedPrincipal,
  ParsedStatement,
  parsePolicyDocument,
} from './parsePolicyDocument';
import { hostPathOfProviderArn, TrustRequestContext } from './requestContext';
import { matchesWildcard } from './stringMatch';
import { MatchResult } from './types';

/**
 * The outcome of evaluating a trust policy for one request.
 *
 * - `allow`: an Allow statement applies and no Deny statement does.
 * - `explicit-deny`: a Deny statement applies (it wins over any Allow).
 * - `implicit-deny`: no Allow statement applies.
 * - `indeterminate`: the outcome depends on something the evaluator does not model.
 * - `malformed`: the policy breaks IAM's grammar and was not evaluated.
 *
 * @public
 */
export type TrustDecision =
  | 'allow'
  | 'explicit-deny'
  | 'implicit-deny'
  | 'indeterminate'
  | 'malformed';

/**
 * How one condition (operator + key) evaluated.
 *
 * @public
 */
export interface ConditionEvaluation {
  operator: string;
  key: string;
  policyValues: readonly string[];
  /** The request's values for the key, or whether it is absent or not known statically. */
  requestValues: readonly string[] | 'absent' | 'unknown';
  result: MatchResult;
  explanation: string;
}

/**
 * How one statement evaluated: each part, the conditions, and whether it applies.
 *
 * @public
 */
export interface StatementEvaluation {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal: MatchResult;
  action: MatchResult;
  conditions: readonly ConditionEvaluation[];
  /** Whether the statement applies to the request. */
  result: MatchResult;
  explanation: string;
}

/**
 * The decision with an explanation per statement and per condition.
 *
 * @public
 */
export interface TrustEvaluation {
  decision: TrustDecision;
  /** True only for `allow`. */
  allowed: boolean;
  explanation: string;
  statements: readonly StatementEvaluation[];
  /** Grammar problems; non-empty only when `decision` is `malformed`. */
  problems: readonly Problem[];
}

// Web-identity claims STS puts in the context when the token has them; any other claim
// key of the caller's own provider might be populated, so it is "unknown", not "absent".
const MODELLED_CLAIMS = ['sub', 'aud', 'amr'];

type KeyLookup =
  | { state: 'present'; values: readonly string[] }
  | { state: 'absent'; why: string }
  | { state: 'unknown'; why: string };

function lookupKey(
  key: string,
  request: TrustRequestContext,
  ownHostPath: string | undefined,
): KeyLookup {
  const folded = key.toLocaleLowerCase('en-US');
  for (const [name, value] of Object.entries(request.conditionKeys)) {
    if (name.toLocaleLowerCase('en-US') === folded) {
      const values = typeof value === 'string' ? [value] : [...value];
      return values.length === 0
        ? { state: 'absent', why: 'the request has no value for it' }
        : { state: 'present', values };
    }
  }
  const colon = folded.indexOf(':');
  const vendor = folded.slice(0, colon);
  const claim = folded.slice(colon + 1);
  if (vendor === 'https' || vendor === 'http' || vendor === 'arn') {
    return {
      state: 'absent',
      why: 'IAM never puts a key written with a scheme or an ARN prefix in the request context (keys are "<issuer host/path>:<claim>")',
    };
  }
  if (vendor.includes('.') || vendor.includes('/')) {
    if (
      ownHostPath !== undefined &&
      vendor === ownHostPath.toLocaleLowerCase('en-US')
    ) {
      return MODELLED_CLAIMS.includes(claim)
        ? { state: 'absent', why: `the token carries no "${claim}" claim` }
        : {
            state: 'unknown',
            why: `the evaluator does not model the "${claim}" claim`,
          };
    }
    return {
      state: 'absent',
      why: "it belongs to another identity provider, and a web-identity request only carries its own provider's keys",
    };
  }
  return {
    state: 'unknown',
    why: 'it is a global or service key whose value is only known when STS handles the call',
  };
}

const list = (values: readonly string[]) =>
  values.map(v => JSON.stringify(v)).join(', ');

function evaluateCondition(
  condition: ParsedCondition,
  request: TrustRequestContext,
  ownHostPath: string | undefined,
  version: string | undefined,
): ConditionEvaluation {
  const { operator, key, values } = condition;
  const base = { operator: operator.name, key, policyValues: values };
  const lookup = lookupKey(key, request, ownHostPath);
  const done = (
    requestValues: ConditionEvaluation['requestValues'],
    result: MatchResult,
    explanation: string,
  ): ConditionEvaluation => ({
    ...base,
    requestValues,
    result,
    explanation: `${operator.name} on "${key}": ${explanation}`,
  });

  if (lookup.state === 'unknown') {
    return done(
      'unknown',
      'unknown',
      `cannot be decided statically: ${lookup.why}.`,
    );
  }
  const absent = lookup.state === 'absent';
  const why = lookup.state === 'absent' ? lookup.why : '';
  const requestValues = absent ? 'absent' : lookup.values;

  if (operator.family === 'Null') {
    const ok = values.some(v => (v === 'true') === absent);
    return done(
      requestValues,
      ok ? 'match' : 'no-match',
      absent
        ? `the key is absent (${why}), so Null "true" matches and "false" does not.`
        : 'the key is present, so Null "false" matches and "true" does not.',
    );
  }
  if (absent && operator.ifExists) {
    return done(
      requestValues,
      'match',
      `the key is absent (${why}), and ...IfExists treats a missing key as a match.`,
    );
  }
  const present = absent ? [] : lookup.values;
  const usesVariable =
    version === '2012-10-17' &&
    operator.family === 'String' &&
    values.some(v => v.includes('${'));
  const compare = (v: string) =>
    stringOperatorMatches(operator.base, values, v);
  // Present values the evaluator does not compare are "unknown", never a guess.
  const undecidable = () =>
    done(
      requestValues,
      'unknown',
      `cannot be decided statically: the evaluator does not compare ${
        usesVariable ? 'policy variables' : `${operator.family} values`
      }.`,
    );

  if (operator.setOperator) {
    if (present.length === 0) {
      return operator.setOperator === 'ForAllValues'
        ? done(
            requestValues,
            'match',
            `the key is absent (${why}); ForAllValues is true for an empty set, so this matches.`,
          )
        : done(
            requestValues,
            'no-match',
            `the key is absent (${why}); ForAnyValue needs at least one value, so this does not match.`,
          );
    }
    if (operator.family !== 'String' || usesVariable) {
      return undecidable();
    }
    const hits = present.filter(compare);
    const ok =
      operator.setOperator === 'ForAnyValue'
        ? hits.length > 0
        : hits.length === present.length;
    return done(
      requestValues,
      ok ? 'match' : 'no-match',
      `${
        operator.setOperator === 'ForAnyValue' ? 'at least one' : 'every'
      } request value must satisfy ${operator.base} against [${list(
        values,
      )}]; ${hits.length} of ${present.length} (${list(present)}) do${
        ok ? '' : ', so this does not match'
      }.`,
    );
  }
  if (absent) {
    return operator.negated
      ? done(
          requestValues,
          'match',
          `the key is absent (${why}); a negated operator matches a missing key.`,
        )
      : done(
          requestValues,
          'no-match',
          `the key is absent (${why}), so it cannot match.`,
        );
  }
  if (operator.family !== 'String' || usesVariable) {
    return undecidable();
  }
  if (present.length > 1) {
    return done(
      requestValues,
      'unknown',
      `the request has several values (${list(
        present,
      )}) and no ForAnyValue/ForAllValues qualifier; IAM documents no result for that.`,
    );
  }
  const ok = compare(present[0]);
  const how = operator.negated
    ? 'must differ from every one of'
    : 'must match one of';
  return done(
    requestValues,
    ok ? 'match' : 'no-match',
    `request value ${JSON.stringify(present[0])} ${how} [${list(values)}]: ${
      ok ? 'it does' : 'it does not'
    }.`,
  );
}

function principalContains(
  principal: ParsedPrincipal,
  federated: string,
): boolean {
  if (principal.any) {
    return true;
  }
  // "*" and {"AWS": "*"} are documented as equivalent ("all principals"); a bare "*" under
  // Federated is read the same way, which errs towards reporting access as possible.
  const federatedList = principal.byType.Federated ?? [];
  const awsList = principal.byType.AWS ?? [];
  return (
    federatedList.some(p => p === federated || p === '*') ||
    awsList.includes('*')
  );
}

function evaluateStatement(
  statement: ParsedStatement,
  request: TrustRequestContext,
  ownHostPath: string | undefined,
  version: string | undefined,
): StatementEvaluation {
  const action = request.action ?? ASSUME_ROLE_WITH_WEB_IDENTITY;
  // A statement has exactly one of Principal and NotPrincipal (the parser checks it).
  const listedPrincipal = principalContains(
    (statement.principal ?? statement.notPrincipal)!,
    request.federatedPrincipal,
  );
  const principal: MatchResult =
    listedPrincipal === Boolean(statement.principal) ? 'match' : 'no-match';
  const actionList = statement.action ?? statement.notAction!;
  const listed = actionList.some(a => matchesWildcard(a, action, true));
  const actionResult: MatchResult = (statement.action ? listed : !listed)
    ? 'match'
    : 'no-match';
  const conditions = statement.conditions.map(c =>
    evaluateCondition(c, request, ownHostPath, version),
  );

  const name = `Statement[${statement.index}]${
    statement.sid ? ` (${statement.sid})` : ''
  } ${statement.effect}`;
  let result: MatchResult;
  let explanation: string;
  if (principal === 'no-match') {
    result = 'no-match';
    explanation = statement.principal
      ? `${name} does not apply: its Principal does not include ${request.federatedPrincipal}.`
      : `${name} does not apply: its NotPrincipal excludes ${request.federatedPrincipal}.`;
  } else if (actionResult === 'no-match') {
    result = 'no-match';
    explanation = statement.action
      ? `${name} does not apply: its Action [${list(
          actionList,
        )}] does not cover ${action}.`
      : `${name} does not apply: its NotAction [${list(
          actionList,
        )}] excludes ${action}.`;
  } else if (conditions.some(c => c.result === 'no-match')) {
    result = 'no-match';
    const failed = conditions
      .filter(c => c.result === 'no-match')
      .map(c => `${c.operator} "${c.key}"`);
    explanation = `${name} does not apply: condition ${failed.join(
      ', ',
    )} does not match (all conditions must match).`;
  } else if (conditions.some(c => c.result === 'unknown')) {
    result = 'unknown';
    const unknown = conditions
      .filter(c => c.result === 'unknown')
      .map(c => `${c.operator} "${c.key}"`);
    explanation = `${name} may apply: principal and action match, but ${unknown.join(
      ', ',
    )} cannot be decided statically.`;
  } else {
    result = 'match';
    explanation = `${name} applies: principal, action${
      conditions.length > 0 ? ' and every condition' : ''
    } match.`;
  }
  return {
    index: statement.index,
    ...(statement.sid ? { sid: statement.sid } : {}),
    effect: statement.effect,
    principal,
    action: actionResult,
    conditions,
    result,
    explanation,
  };
}

/**
 * Evaluates an already parsed trust policy; see {@link evaluateTrustPolicy}.
 *
 * @public
 */
export function evaluateParsedTrustPolicy(
  policy: ParsedPolicy,
  request: TrustRequestContext,
): TrustEvaluation {
  const ownHostPath = hostPathOfProviderArn(request.federatedPrincipal);
  const statements = policy.statements.map(s =>
    evaluateStatement(s, request, ownHostPath, policy.version),
  );
  const pick = (effect: string, result: MatchResult) =>
    statements
      .filter(s => s.effect === effect && s.result === result)
      .map(s => `Statement[${s.index}]`);
  const denies = pick('Deny', 'match');
  const maybeDenies = pick('Deny', 'unknown');
  const allows = pick('Allow', 'match');
  const maybeAllows = pick('Allow', 'unknown');

  let decision: TrustDecision;
  let explanation: string;
  if (denies.length > 0) {
    decision = 'explicit-deny';
    explanation = `Denied: ${denies.join(
      ', ',
    )} explicitly denies the request, and an explicit deny overrides any allow.`;
  } else if (allows.length === 0 && maybeAllows.length === 0) {
    decision = 'implicit-deny';
    explanation =
      'Denied: no Allow statement applies to the request, so it is implicitly denied.';
  } else if (maybeDenies.length > 0) {
    decision = 'indeterminate';
    explanation = `Cannot decide statically: ${[...allows, ...maybeAllows].join(
      ', ',
    )} may allow the request, but ${maybeDenies.join(
      ', ',
    )} may deny it depending on keys known only at call time.`;
  } else if (allows.length > 0) {
    decision = 'allow';
    explanation = `Allowed by ${allows.join(', ')}; no Deny statement applies.`;
  } else {
    decision = 'indeterminate';
    explanation = `Cannot decide statically: only ${maybeAllows.join(
      ', ',
    )} could allow the request, and that depends on keys known only at call time.`;
  }
  return {
    decision,
    allowed: decision === 'allow',
    explanation,
    statements,
    problems: [],
  };
}

/**
 * Evaluates a role trust policy for a web-identity request the way IAM does for
 * `sts:AssumeRoleWithWebIdentity`, with an explanation per statement and per condition.
 *
 * @remarks
 * A policy that breaks IAM's grammar is reported (`malformed`, with its problems) and not
 * evaluated. See the package README for what is and is not modelled.
 *
 * @public
 */
export function evaluateTrustPolicy(
  policy: string | object,
  request: TrustRequestContext,
): TrustEvaluation {
  const parsed = parsePolicyDocument(policy, 'trust');
  if (!parsed.ok) {
    return {
      decision: 'malformed',
      allowed: false,
      explanation: `Not evaluated: the trust policy is malformed (${
        parsed.problems.length
      } problem${parsed.problems.length === 1 ? '' : 's'}).`,
      statements: [],
      problems: parsed.problems,
    };
  }
  return evaluateParsedTrustPolicy(parsed.value, request);
}
