import { type CheckResult, createCheckResult } from './statusReport';

/**
 * F1 or F2, one row: whether the role's account has an IAM OIDC provider for the
 * cluster's issuer. When the role lives in another account than the cluster the row is
 * F2 (cross-account), naming the account that needs the provider and both ways to fix
 * it; otherwise F1.
 *
 * @public
 */
export function providerRegistrationCheck(input: {
  roleAccountId: string;
  clusterName: string;
  clusterAccountId: string;
  providerArn: string;
  exists: boolean;
}): CheckResult {
  const { roleAccountId, clusterName, clusterAccountId, providerArn } = input;
  if (roleAccountId === clusterAccountId) {
    return input.exists
      ? createCheckResult('F1', 'pass', `Provider ${providerArn} exists.`)
      : createCheckResult(
          'F1',
          'fail',
          `No IAM OIDC provider ${providerArn} in account ${roleAccountId}.`,
        );
  }
  const crossAccount = `The role is in account ${roleAccountId}, cluster ${clusterName} in account ${clusterAccountId}`;
  return input.exists
    ? createCheckResult(
        'F2',
        'pass',
        `${crossAccount}; account ${roleAccountId} has the provider ${providerArn}.`,
      )
    : createCheckResult(
        'F2',
        'fail',
        `${crossAccount}, and account ${roleAccountId} has no IAM OIDC provider ${providerArn}, so STS there rejects the cluster's tokens. ` +
          `Create the provider in account ${roleAccountId} (run aws:oidc:ensure for cluster ${clusterName} with accountId ${roleAccountId}), ` +
          `or use a role in account ${clusterAccountId} that chains into account ${roleAccountId}.`,
      );
}

/**
 * S8: the role's permissions boundary against the guardrail
 * (`irsa.guardrails.permissionsBoundaryArn`). No row when no boundary is required; `warn`
 * when the role has none or another one.
 *
 * @public
 */
export function permissionsBoundaryCheck(
  required: string | undefined,
  actual: string | undefined,
): CheckResult | undefined {
  if (!required) return undefined;
  if (actual === required) {
    return createCheckResult(
      'S8',
      'pass',
      `The role has the required permissions boundary ${required}.`,
    );
  }
  return createCheckResult(
    'S8',
    'warn',
    actual
      ? `The role's permissions boundary is ${actual}, not the required ${required}.`
      : `The role has no permissions boundary; the guardrails require ${required}.`,
  );
}
