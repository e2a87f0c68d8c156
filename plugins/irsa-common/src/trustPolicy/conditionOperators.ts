import { matchesWildcard } from './stringMatch';

/**
 * The condition operator families IAM defines.
 *
 * @public
 */
export type ConditionFamily =
  | 'String'
  | 'Numeric'
  | 'Date'
  | 'Bool'
  | 'Binary'
  | 'IpAddress'
  | 'Arn'
  | 'Null';

/**
 * A condition operator name split into its parts, e.g.
 * `ForAllValues:StringNotLikeIfExists` → set `ForAllValues`, base `StringNotLike`,
 * `ifExists` true, negated true.
 *
 * @public
 */
export interface ConditionOperator {
  /** The name as written in the policy. */
  name: string;
  /** The operator without set qualifier and `IfExists`, e.g. `StringEquals`. */
  base: string;
  family: ConditionFamily;
  /** Negated operators (`StringNotEquals`, `NotIpAddress`, …) are true when the key is absent. */
  negated: boolean;
  ifExists: boolean;
  setOperator?: 'ForAnyValue' | 'ForAllValues';
}

// Every base operator of the IAM condition-operator reference, with family and negation.
const BASE_OPERATORS: Readonly<
  Record<string, { family: ConditionFamily; negated: boolean }>
> = Object.freeze({
  StringEquals: { family: 'String', negated: false },
  StringNotEquals: { family: 'String', negated: true },
  StringEqualsIgnoreCase: { family: 'String', negated: false },
  StringNotEqualsIgnoreCase: { family: 'String', negated: true },
  StringLike: { family: 'String', negated: false },
  StringNotLike: { family: 'String', negated: true },
  NumericEquals: { family: 'Numeric', negated: false },
  NumericNotEquals: { family: 'Numeric', negated: true },
  NumericLessThan: { family: 'Numeric', negated: false },
  NumericLessThanEquals: { family: 'Numeric', negated: false },
  NumericGreaterThan: { family: 'Numeric', negated: false },
  NumericGreaterThanEquals: { family: 'Numeric', negated: false },
  DateEquals: { family: 'Date', negated: false },
  DateNotEquals: { family: 'Date', negated: true },
  DateLessThan: { family: 'Date', negated: false },
  DateLessThanEquals: { family: 'Date', negated: false },
  DateGreaterThan: { family: 'Date', negated: false },
  DateGreaterThanEquals: { family: 'Date', negated: false },
  Bool: { family: 'Bool', negated: false },
  BinaryEquals: { family: 'Binary', negated: false },
  IpAddress: { family: 'IpAddress', negated: false },
  NotIpAddress: { family: 'IpAddress', negated: true },
  ArnEquals: { family: 'Arn', negated: false },
  ArnLike: { family: 'Arn', negated: false },
  ArnNotEquals: { family: 'Arn', negated: true },
  ArnNotLike: { family: 'Arn', negated: true },
  Null: { family: 'Null', negated: false },
});

/**
 * Every base operator name IAM documents.
 *
 * @public
 */
export const CONDITION_OPERATOR_NAMES: readonly string[] = Object.freeze(
  Object.keys(BASE_OPERATORS),
);

/**
 * Splits an operator name, or returns `undefined` for a name IAM does not define
 * (including `NullIfExists` and set-qualified `Null`, which IAM rejects or ignores).
 * Operator names are matched with the exact spelling IAM documents.
 *
 * @public
 */
export function parseConditionOperator(
  name: string,
): ConditionOperator | undefined {
  let rest = name;
  let setOperator: ConditionOperator['setOperator'];
  const qualifier = (['ForAnyValue', 'ForAllValues'] as const).find(q =>
    rest.startsWith(`${q}:`),
  );
  if (qualifier) {
    setOperator = qualifier;
    rest = rest.slice(qualifier.length + 1);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = Object.prototype.hasOwnProperty.call(BASE_OPERATORS, rest)
    ? BASE_OPERATORS[rest]
    : undefined;
  if (!base || (base.family === 'Null' && (ifExists || setOperator))) {
    return undefined;
  }
  return {
    name,
    base: rest,
    family: base.family,
    negated: base.negated,
    ifExists,
    setOperator,
  };
}

/**
 * Whether one request value satisfies a String-family operator against the policy values.
 *
 * @remarks
 * Several policy values are OR-ed for positive operators; for negated operators the
 * result is NOR (the value equals none of them), as the IAM reference says.
 *
 * @public
 */
export function stringOperatorMatches(
  base: string,
  policyValues: readonly string[],
  requestValue: string,
): boolean {
  const fold = (s: string) => s.toLocaleLowerCase('en-US');
  switch (base) {
    case 'StringEquals':
      return policyValues.some(p => p === requestValue);
    case 'StringNotEquals':
      return !policyValues.some(p => p === requestValue);
    case 'StringEqualsIgnoreCase':
      return policyValues.some(p => fold(p) === fold(requestValue));
    case 'StringNotEqualsIgnoreCase':
      return !policyValues.some(p => fold(p) === fold(requestValue));
    case 'StringLike':
      return policyValues.some(p => matchesWildcard(p, requestValue));
    case 'StringNotLike':
      return !policyValues.some(p => matchesWildcard(p, requestValue));
    default:
      throw new Error(`Not a String operator: ${base}`);
  }
}
