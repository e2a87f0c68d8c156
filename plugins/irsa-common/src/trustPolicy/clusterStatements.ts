import { parseServiceAccountSubject } from '../serviceAccountSubject';
import { canonicalizePolicyDocument } from './canonicalPolicy';
import { hostPathOfProviderArn } from './requestContext';
import { PolicyDocument, PolicyStatement } from './types';

function statementsOf(policy: PolicyDocument): PolicyStatement[] {
  return Array.isArray(policy.Statement)
    ? policy.Statement
    : [policy.Statement];
}

/**
 * True when a statement is "the statement for a cluster": an `Allow` whose `Principal` is
 * exactly `{ "Federated": <providerArn> }`. Deny statements and statements naming other
 * principals too are never treated as a cluster's, so edits leave them alone.
 *
 * @public
 */
export function isClusterStatement(
  statement: PolicyStatement,
  providerArn: string,
): boolean {
  const principal = statement.Principal;
  if (statement.Effect !== 'Allow' || statement.NotPrincipal !== undefined) {
    return false;
  }
  if (
    typeof principal !== 'object' ||
    principal === null ||
    Object.keys(principal).length !== 1
  ) {
    return false;
  }
  const federated = principal.Federated;
  const values = Array.isArray(federated) ? federated : [federated];
  return values.length === 1 && values[0] === providerArn;
}

/**
 * Sets the statement for one cluster in an existing policy: replaces the cluster's
 * statement(s) at the position of the first one, or appends when there is none. Every other
 * statement, and `Version`/`Id`, is kept as it was. With no existing policy, returns a new
 * one. The cluster is identified by the new statement's `Federated` principal.
 *
 * @public
 */
export function upsertClusterStatement(
  policy: PolicyDocument | undefined,
  statement: PolicyStatement,
): PolicyDocument {
  const principal = statement.Principal;
  const federated =
    typeof principal === 'object' ? principal.Federated : undefined;
  const providerArn = Array.isArray(federated) ? federated[0] : federated;
  if (
    providerArn === undefined ||
    !isClusterStatement(statement, providerArn)
  ) {
    throw new TypeError(
      'upsertClusterStatement needs an Allow statement whose Principal is exactly one Federated provider ARN',
    );
  }
  if (!policy) {
    return { Version: '2012-10-17', Statement: [statement] };
  }
  const existing = statementsOf(policy);
  const first = existing.findIndex(s => isClusterStatement(s, providerArn));
  const next =
    first === -1
      ? [...existing, statement]
      : existing.flatMap((s, i) => {
          if (i === first) return [statement];
          return isClusterStatement(s, providerArn) ? [] : [s];
        });
  return { ...policy, Statement: next };
}

/**
 * Removes the statement(s) for one cluster, keeping everything else as it was. The result
 * may have no statements left; IAM rejects such a policy, so callers decide what to do
 * with the role then.
 *
 * @public
 */
export function removeClusterStatement(
  policy: PolicyDocument,
  providerArn: string,
): PolicyDocument {
  return {
    ...policy,
    Statement: statementsOf(policy).filter(
      s => !isClusterStatement(s, providerArn),
    ),
  };
}

/**
 * The ServiceAccounts a cluster's statement admits, read from its `<key>:sub` condition
 * under `StringEquals` or `StringLike` (patterns come back as `namePattern`). Lets a caller
 * add one ServiceAccount to a role that already trusts others in the same cluster.
 *
 * @public
 */
export function clusterStatementSubjects(
  policy: PolicyDocument,
  providerArn: string,
): Array<
  | { namespace: string; name: string }
  | { namespace: string; namePattern: string }
> {
  const hostPath = hostPathOfProviderArn(providerArn);
  const subKey = `${hostPath}:sub`.toLocaleLowerCase('en-US');
  const found = new Map<
    string,
    | { namespace: string; name: string }
    | { namespace: string; namePattern: string }
  >();
  const canonical = canonicalizePolicyDocument({
    Statement: statementsOf(policy),
  });
  for (const statement of canonical.Statement as PolicyStatement[]) {
    if (!isClusterStatement(statement, providerArn)) continue;
    for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
      if (operator !== 'StringEquals' && operator !== 'StringLike') continue;
      for (const [key, value] of Object.entries(block)) {
        if (key.toLocaleLowerCase('en-US') !== subKey) continue;
        for (const sub of Array.isArray(value) ? value : [value]) {
          const parsed = parseServiceAccountSubject(sub);
          if (!parsed) continue;
          const pattern = operator === 'StringLike' && /[*?]/.test(parsed.name);
          found.set(
            sub,
            pattern
              ? { namespace: parsed.namespace, namePattern: parsed.name }
              : parsed,
          );
        }
      }
    }
  }
  return [...found.keys()].sort().map(k => found.get(k)!);
}
