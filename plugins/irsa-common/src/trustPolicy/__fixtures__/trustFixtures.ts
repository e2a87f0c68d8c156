import { PolicyCondition, PolicyDocument, PolicyStatement } from '../types';
import { TrustRequestContext } from '../requestContext';

// A realistic EKS issuer: upper-case hex id in the path, which IAM compares exactly.
export const HOST_PATH =
  'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const PROVIDER_ARN = `arn:aws:iam::111122223333:oidc-provider/${HOST_PATH}`;
export const OTHER_HOST_PATH =
  'oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
export const OTHER_PROVIDER_ARN = `arn:aws:iam::111122223333:oidc-provider/${OTHER_HOST_PATH}`;
export const SUB = `${HOST_PATH}:sub`;
export const AUD = `${HOST_PATH}:aud`;
export const AMR = `${HOST_PATH}:amr`;
export const SUBJECT = 'system:serviceaccount:payments:api';
export const AUDIENCE = 'sts.amazonaws.com';

export function statement(
  condition?: PolicyCondition,
  extra: Partial<PolicyStatement> = {},
): PolicyStatement {
  return {
    Effect: 'Allow',
    Principal: { Federated: PROVIDER_ARN },
    Action: 'sts:AssumeRoleWithWebIdentity',
    ...(condition ? { Condition: condition } : {}),
    ...extra,
  };
}

export function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export interface RequestOverrides {
  principal?: string;
  sub?: string | string[];
  aud?: string | string[];
  amr?: string[];
  extra?: Record<string, string | string[]>;
  action?: string;
}

/** The request STS evaluates for payments/api's token, with overrides. */
export function request(o: RequestOverrides = {}): TrustRequestContext {
  const keys: Record<string, string | string[]> = {
    [SUB]: o.sub ?? SUBJECT,
    [AUD]: o.aud ?? AUDIENCE,
    ...(o.amr ? { [AMR]: o.amr } : {}),
    ...o.extra,
  };
  return {
    federatedPrincipal: o.principal ?? PROVIDER_ARN,
    conditionKeys: keys,
    ...(o.action ? { action: o.action } : {}),
  };
}
