import { ParseResult } from '../problems';
import { serviceAccountSubject } from '../serviceAccountSubject';
import { buildTrustStatement } from './buildTrustPolicy';
import {
  clusterStatementSubjects,
  removeClusterStatement,
  upsertClusterStatement,
} from './clusterStatements';
import { hostPathOfProviderArn } from './requestContext';
import { PolicyDocument, PolicyStatement } from './types';

/**
 * A role's trust without one ServiceAccount of one cluster: what retiring that
 * ServiceAccount's access leaves of the role.
 *
 * @public
 */
export interface TrustSubjectRemoval {
  /**
   * The trust without the ServiceAccount: the cluster's statement rebuilt from its other
   * subjects, or left out when it was the last one; every other statement as it was.
   */
  policy: PolicyDocument;
  /** Whether the cluster's statement named the ServiceAccount (exactly, not by a pattern). */
  removed: boolean;
  /**
   * Who `policy` still lets assume the role, one entry per subject of a cluster statement
   * (`system:serviceaccount:ns:name via <issuer host path>`) and per other Allow
   * statement; empty when nobody can assume it any more (no Allow statement is left).
   */
  stillTrusted: string[];
}

function statementsOf(policy: PolicyDocument): PolicyStatement[] {
  return Array.isArray(policy.Statement)
    ? policy.Statement
    : [policy.Statement];
}

/** One Federated principal, if that is all the statement names. */
function federatedOf(statement: PolicyStatement): string | undefined {
  const principal = statement.Principal;
  if (typeof principal !== 'object' || Object.keys(principal).length !== 1) {
    return undefined;
  }
  const federated = principal.Federated;
  const values = Array.isArray(federated) ? federated : [federated];
  return values.length === 1 && typeof values[0] === 'string'
    ? values[0]
    : undefined;
}

/** Who the Allow statements of `policy` admit, in words. */
function trustedBy(policy: PolicyDocument): string[] {
  const out: string[] = [];
  for (const statement of statementsOf(policy)) {
    if (statement.Effect !== 'Allow') continue;
    const provider = federatedOf(statement);
    const subjects = provider
      ? clusterStatementSubjects({ Statement: [statement] }, provider)
      : [];
    if (provider && subjects.length > 0) {
      const via = hostPathOfProviderArn(provider) ?? provider;
      for (const s of subjects) {
        const name = 'name' in s ? s.name : s.namePattern;
        out.push(`${serviceAccountSubject(s.namespace, name)} via ${via}`);
      }
    } else {
      out.push(
        `a statement for ${JSON.stringify(
          statement.Principal ?? statement.NotPrincipal ?? '*',
        )}`,
      );
    }
  }
  return out;
}

/**
 * Takes one ServiceAccount out of the trust of a role for the cluster whose provider is
 * `providerArn`. Only an exact subject is removed: a name pattern (`worker-*`) the
 * ServiceAccount matches stands for others too and is kept. Statements of other clusters,
 * other principals and Deny statements are kept as they are. Fails only when the cluster's
 * other subjects cannot be written back (a hand-edited subject that is not a valid name).
 *
 * @public
 */
export function removeTrustSubject(
  policy: PolicyDocument,
  providerArn: string,
  serviceAccount: { namespace: string; name: string },
): ParseResult<TrustSubjectRemoval> {
  const subjects = clusterStatementSubjects(policy, providerArn);
  const remaining = subjects.filter(
    s =>
      !(
        'name' in s &&
        s.namespace === serviceAccount.namespace &&
        s.name === serviceAccount.name
      ),
  );
  if (remaining.length === subjects.length) {
    return {
      ok: true,
      value: { policy, removed: false, stillTrusted: trustedBy(policy) },
    };
  }
  let next: PolicyDocument;
  if (remaining.length === 0) {
    next = removeClusterStatement(policy, providerArn);
  } else {
    // Patterns were allowed when they were written; dropping one would break its pods.
    const statement = buildTrustStatement({
      providerArn,
      subjects: remaining,
      allowPatterns: true,
    });
    if (!statement.ok) return statement;
    next = upsertClusterStatement(policy, statement.value);
  }
  return {
    ok: true,
    value: { policy: next, removed: true, stillTrusted: trustedBy(next) },
  };
}
