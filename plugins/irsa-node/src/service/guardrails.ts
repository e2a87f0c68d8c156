import {
  matchesWildcard,
  type Problem,
  quote,
} from '@backstage-irsa/plugin-irsa-common';
import type { IrsaGuardrails } from '../config';

/** What a role request asks for, as the guardrails see it. */
export interface GuardedRequest {
  namespace: string;
  policyArns: readonly string[];
  /** Managed policies the selected presets bring, by the preset's position in `presets`. */
  presetPolicyArns?: ReadonlyArray<{
    index: number;
    preset: string;
    arn: string;
  }>;
  /** A ServiceAccount name pattern the trust would admit (`serviceAccountPattern`). */
  serviceAccountPattern?: string;
}

/** The guardrails this check reads; the rest of `irsa.guardrails` may be left out. */
type GuardrailsChecked = Pick<
  IrsaGuardrails,
  'allowedNamespaces' | 'deniedNamespaces' | 'allowedPolicyArns'
> &
  Partial<Pick<IrsaGuardrails, 'allowServiceAccountPatterns'>>;

function allowedPolicyText(guardrails: GuardrailsChecked): string {
  return guardrails.allowedPolicyArns.length > 0
    ? ` (allowed: ${guardrails.allowedPolicyArns.join(', ')})`
    : ' (none are allowed yet)';
}

/**
 * The platform team's limits (`irsa.guardrails`) applied to a request: every violation,
 * each naming the setting that forbids it, so a developer knows whom to ask. Globs use
 * `*` and `?` as in IAM's StringLike.
 */
export function guardrailProblems(
  request: GuardedRequest,
  guardrails: GuardrailsChecked,
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
  const allowed = (arn: string) =>
    guardrails.allowedPolicyArns.some(p => matchesWildcard(p, arn));
  for (const arn of request.policyArns) {
    if (!allowed(arn)) {
      problems.push({
        field: 'policyArns',
        message: `Policy ${arn} is not in irsa.guardrails.allowedPolicyArns${allowedPolicyText(
          guardrails,
        )}; ask your platform team to allow it.`,
      });
    }
  }
  // A preset is the platform's own, but its managed policies still pass the allow-list:
  // the manager's IAM policy attaches nothing else either.
  for (const { index, preset, arn } of request.presetPolicyArns ?? []) {
    if (!allowed(arn)) {
      problems.push({
        field: `presets[${index}].name`,
        message: `Preset "${preset}" attaches ${arn}, which is not in irsa.guardrails.allowedPolicyArns${allowedPolicyText(
          guardrails,
        )}; ask your platform team to allow it or fix the preset.`,
      });
    }
  }
  if (
    request.serviceAccountPattern !== undefined &&
    !guardrails.allowServiceAccountPatterns
  ) {
    problems.push({
      field: 'serviceAccountPattern',
      message: `A ServiceAccount name pattern (${quote(
        request.serviceAccountPattern,
      )}) would let every matching ServiceAccount of the namespace assume the role, and irsa.guardrails.allowServiceAccountPatterns is off; name one ServiceAccount in serviceAccount instead, or ask your platform team to allow patterns.`,
    });
  }
  return problems;
}
