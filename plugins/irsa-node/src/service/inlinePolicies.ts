import {
  canonicalPolicyJson,
  type PolicyDocument,
  type PresetInlinePolicy,
} from '@backstage-irsa/plugin-irsa-common';
import type { IamGateway } from '../aws';

/**
 * One inline policy a role must carry, and how it stands: `missing` (none by that name),
 * `changed` (a different document, e.g. edited by hand), or `ready`. A JSON value.
 */
export type InlinePolicyPlan = {
  /** `preset-<name>` */
  name: string;
  preset: string;
  /** What PutRolePolicy writes: the canonical JSON of the rendered preset. */
  documentJson: string;
  state: 'missing' | 'changed' | 'ready';
};

/**
 * Compares each wanted inline policy with the role's (GetRolePolicy, one read each), by
 * canonical JSON, so only a policy that is missing or means something else is written.
 * A role that does not exist yet has none.
 */
export async function planInlinePolicies(
  iam: IamGateway,
  roleName: string,
  roleExists: boolean,
  wanted: readonly PresetInlinePolicy[],
): Promise<InlinePolicyPlan[]> {
  const plans: InlinePolicyPlan[] = [];
  for (const policy of wanted) {
    const documentJson = canonicalPolicyJson(policy.document);
    const current = roleExists
      ? await iam.getRolePolicy(roleName, policy.name)
      : undefined;
    let state: InlinePolicyPlan['state'] = 'missing';
    if (current !== undefined) {
      state =
        canonicalOrUndefined(current) === documentJson ? 'ready' : 'changed';
    }
    plans.push({
      name: policy.name,
      preset: policy.preset,
      documentJson,
      state,
    });
  }
  return plans;
}

function canonicalOrUndefined(document: unknown): string | undefined {
  try {
    return canonicalPolicyJson(document as PolicyDocument);
  } catch {
    // Not a shape we can canonicalise (hand-edited into something odd): it differs.
    return undefined;
  }
}
