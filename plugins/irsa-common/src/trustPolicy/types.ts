/**
 * A value that IAM accepts as one string or a list of strings.
 *
 * @public
 */
export type PolicyStringOrList = string | string[];

/**
 * A `Principal` or `NotPrincipal` element: `"*"` or a map from principal type (`AWS`,
 * `Federated`, `Service`, `CanonicalUser`) to one or more principals.
 *
 * @public
 */
export type PolicyPrincipal = '*' | Record<string, PolicyStringOrList>;

/**
 * A `Condition` element: operator → condition key → value(s).
 *
 * @public
 */
export type PolicyCondition = Record<
  string,
  Record<string, PolicyStringOrList>
>;

/**
 * One statement of an IAM policy document, as JSON has it. Our own type, not the SDK's.
 *
 * @public
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PolicyPrincipal;
  NotPrincipal?: PolicyPrincipal;
  Action?: PolicyStringOrList;
  NotAction?: PolicyStringOrList;
  Resource?: PolicyStringOrList;
  NotResource?: PolicyStringOrList;
  Condition?: PolicyCondition;
}

/**
 * An IAM policy document (trust or permissions), as JSON has it.
 *
 * @public
 */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/**
 * Three-valued match: `unknown` when the outcome depends on something the evaluator does
 * not model (a global condition key, a policy variable, a numeric comparison…).
 *
 * @public
 */
export type MatchResult = 'match' | 'no-match' | 'unknown';
