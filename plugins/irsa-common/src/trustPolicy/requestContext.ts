import { ASSUME_ROLE_WITH_WEB_IDENTITY, STS_AUDIENCE } from '../constants';
import { oidcConditionKey } from '../issuer';
import { serviceAccountSubject } from '../serviceAccountSubject';

/**
 * What IAM knows about an `AssumeRoleWithWebIdentity` call when it evaluates the role's
 * trust policy.
 *
 * @public
 */
export interface TrustRequestContext {
  /** The `Federated` principal of the call: the IAM OIDC provider ARN of the token's issuer. */
  federatedPrincipal: string;
  /**
   * Condition keys present in the request, e.g. `<hostPath>:sub`. Names are compared
   * case-insensitively, as IAM does; an empty list counts as absent.
   */
  conditionKeys: Readonly<Record<string, string | readonly string[]>>;
  /** The action being authorised; `sts:AssumeRoleWithWebIdentity` when omitted. */
  action?: string;
}

/**
 * The host/path of an OIDC provider ARN (everything after `oidc-provider/`), or `undefined`
 * when the ARN is not one.
 *
 * @public
 */
export function hostPathOfProviderArn(providerArn: string): string | undefined {
  const marker = ':oidc-provider/';
  const at = providerArn.indexOf(marker);
  if (!providerArn.startsWith('arn:') || at === -1) {
    return undefined;
  }
  const hostPath = providerArn.slice(at + marker.length);
  return hostPath === '' ? undefined : hostPath;
}

/**
 * The request context of a ServiceAccount token exchanged with STS: `sub` is
 * `system:serviceaccount:<namespace>:<name>`, `aud` the audience (default
 * `sts.amazonaws.com`), `amr` only when given.
 *
 * @public
 */
export function serviceAccountRequestContext(input: {
  providerArn: string;
  namespace: string;
  serviceAccount: string;
  audience?: string;
  amr?: readonly string[];
}): TrustRequestContext {
  const hostPath =
    hostPathOfProviderArn(input.providerArn) ?? input.providerArn;
  const conditionKeys: Record<string, string | readonly string[]> = {
    [oidcConditionKey(hostPath, 'sub')]: serviceAccountSubject(
      input.namespace,
      input.serviceAccount,
    ),
    [oidcConditionKey(hostPath, 'aud')]: input.audience ?? STS_AUDIENCE,
  };
  if (input.amr !== undefined) {
    conditionKeys[oidcConditionKey(hostPath, 'amr')] = input.amr;
  }
  return {
    federatedPrincipal: input.providerArn,
    conditionKeys,
    action: ASSUME_ROLE_WITH_WEB_IDENTITY,
  };
}
