import {
  matchesWildcard,
  type Problem,
} from '@backstage-irsa/plugin-irsa-common';
import type { IrsaGuardrails } from '../config';

/** What a role request asks for, as the guardrails see it. */
export interface GuardedRequest {
  namespace: string;
  policyArns: readonly string[];
}

/**
 * The platform team's limits (`irsa.guardrails`) applied to a request: every violation,
 * each naming the setting that forbids it, so a developer knows whom to ask. Globs use
 * `*` and `?` as in IAM's StringLike.
 */
export function guardrailProblems(
  request: GuardedRequest,
  guardrails: IrsaGuardrails,
): Problem[] {
  const problems: Problem[] = [];
  const { namespace } = request;
  const denied = guardrails.deniedNamespaces.find(p =>
    matchesWildcard(p, namespace),
  );
  if (denied) {
    problems.push({
      field: 'namespace',
      message: `Namespace "${namespace}" may not receive AWS roles: it matches "${denied}" in irsa.guardrails.deniedNamespaces.`,
    });
  } else if (
    guardrails.allowedNamespaces.length > 0 &&
    !guardrails.allowedNamespaces.some(p => matchesWildcard(p, namespace))
  ) {
    problems.push({
      field: 'namespace',
      message: `Namespace "${namespace}" is not in irsa.guardrails.allowedNamespaces (${guardrails.allowedNamespaces.join(
        ', ',
      )}); ask your platform team.`,
    });
  }
  for (const arn of request.policyArns) {
    if (!guardrails.allowedPolicyArns.some(p => matchesWildcard(p, arn))) {
      problems.push({
        field: 'policyArns',
        message: `Policy ${arn} is not in irsa.guardrails.allowedPolicyArns${
          guardrails.allowedPolicyArns.length > 0
            ? ` (allowed: ${guardrails.allowedPolicyArns.join(', ')})`
            : ' (none are allowed yet)'
        }; ask your platform team to allow it.`,
      });
    }
  }
  return problems;
}
