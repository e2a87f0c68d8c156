/**
 * What the backend's `/form/*` routes answer and the template's field extensions read: one
 * definition for both sides, as the status report has.
 */

/**
 * One namespace of a cluster, and whether an entity may bind ServiceAccounts in it.
 *
 * @public
 */
export interface FormNamespace {
  name: string;
  allowed: boolean;
  /** Why not, naming the setting or annotation that decides (when not allowed). */
  reason?: string;
}

/**
 * A preset of `irsa.presets` as the form shows it: no policy document.
 *
 * @public
 */
export interface FormPreset {
  name: string;
  title: string;
  description: string;
  policyArns: string[];
  hasInlinePolicy: boolean;
  parameters: Array<{
    name: string;
    title: string;
    description: string;
    /** A value is used only when it matches (JavaScript regular expression). */
    pattern: string;
  }>;
}

/**
 * What the form offers for a role's permissions.
 *
 * @public
 */
export interface FormPolicies {
  presets: FormPreset[];
  /** `irsa.guardrails.allowedPolicyArns` entries that name one policy (globs left out). */
  managedPolicyArns: string[];
}

/**
 * The role a request makes, and every problem the actions would refuse it for.
 *
 * @public
 */
export interface FormRolePreview {
  /** In IAM: the guardrail prefix added when missing. */
  roleName: string;
  /** `irsa.guardrails.roleNamePrefix`, so a form can show what it adds. */
  roleNamePrefix: string;
  path: string;
  /** Partition-aware; empty while the cluster is unknown. */
  roleArn: string;
  /** `system:serviceaccount:NS:NAME`, what the trust policy lets assume the role. */
  trustSubject: string;
  problems: Array<{ field: string; message: string }>;
}
