import { AWS_PARTITIONS, AwsPartition, isAwsPartition } from './partition';
import { ParseResult, Problem, quote } from './problems';
import { accountIdProblems } from './validators/accountId';
import {
  iamPathProblems,
  rolePathProblems,
  roleNameProblems,
} from './validators/iamNames';

/**
 * The six parts of an ARN (`arn:partition:service:region:account:resource`).
 *
 * @public
 */
export interface ParsedArn {
  partition: AwsPartition;
  service: string;
  region: string;
  accountId: string;
  /** Everything after the fifth colon; may itself contain colons and slashes. */
  resource: string;
}

/**
 * An IAM role ARN split into the parts IAM uses (`path` is `/` when the role has none).
 *
 * @public
 */
export interface RoleArn {
  partition: AwsPartition;
  accountId: string;
  path: string;
  name: string;
}

/**
 * An IAM OIDC provider ARN; `hostPath` is also the condition-key prefix.
 *
 * @public
 */
export interface OidcProviderArn {
  partition: AwsPartition;
  accountId: string;
  hostPath: string;
}

/**
 * An IAM managed policy ARN; `accountId` is `aws` for AWS managed policies.
 *
 * @public
 */
export interface PolicyArn {
  partition: AwsPartition;
  accountId: string;
  path: string;
  name: string;
}

const ROLE_EXAMPLE = 'arn:aws:iam::123456789012:role/payments-api';

/**
 * Parses any ARN in a supported partition.
 *
 * @public
 */
export function parseArn(
  value: string,
  field = 'arn',
  example = ROLE_EXAMPLE,
): ParseResult<ParsedArn> {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return {
      ok: false,
      problems: [
        {
          field,
          message: `${quote(
            value,
          )} is not an ARN: an ARN has six colon-separated parts, "arn:partition:service:region:account:resource" (for example ${quote(
            example,
          )}).`,
        },
      ],
    };
  }
  const [, partition, service, region, accountId] = parts;
  const resource = parts.slice(5).join(':');
  const problems: Problem[] = [];
  if (!isAwsPartition(partition)) {
    problems.push({
      field,
      message: `The ARN ${quote(value)} names partition ${quote(
        partition,
      )}: supported partitions are ${AWS_PARTITIONS.map(quote).join(
        ', ',
      )} (for example ${quote(example)}).`,
    });
  }
  if (service === '') {
    problems.push({
      field,
      message: `The ARN ${quote(
        value,
      )} has no service: the third part names the service, such as "iam" (for example ${quote(
        example,
      )}).`,
    });
  }
  if (resource === '') {
    problems.push({
      field,
      message: `The ARN ${quote(
        value,
      )} has no resource: the sixth part names the resource, such as "role/payments-api" (for example ${quote(
        example,
      )}).`,
    });
  }
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: {
      partition: partition as AwsPartition,
      service,
      region,
      accountId,
      resource,
    },
  };
}

/** Problems common to IAM ARNs: service `iam`, no region. */
function iamArnProblems(
  arn: ParsedArn,
  value: string,
  field: string,
  example: string,
): Problem[] {
  const problems: Problem[] = [];
  if (arn.service !== 'iam') {
    problems.push({
      field,
      message: `The ARN ${quote(value)} is for service ${quote(
        arn.service,
      )}: it must be an IAM ARN, "arn:<partition>:iam::..." (for example ${quote(
        example,
      )}).`,
    });
  }
  if (arn.region !== '') {
    problems.push({
      field,
      message: `The ARN ${quote(value)} has region ${quote(
        arn.region,
      )}: IAM is global, so the region part must be empty ("iam::") (for example ${quote(
        example,
      )}).`,
    });
  }
  return problems;
}

/**
 * Parses an IAM role ARN such as `arn:aws:iam::123456789012:role/team/payments-api`,
 * which is what the `eks.amazonaws.com/role-arn` annotation must hold (F20).
 *
 * @public
 */
export function parseRoleArn(
  value: string,
  field = 'roleArn',
): ParseResult<RoleArn> {
  const parsed = parseArn(value, field, ROLE_EXAMPLE);
  if (!parsed.ok) {
    return parsed;
  }
  const arn = parsed.value;
  const problems = iamArnProblems(arn, value, field, ROLE_EXAMPLE);
  problems.push(...accountIdProblems(arn.accountId, field));
  if (!arn.resource.startsWith('role/')) {
    problems.push({
      field,
      message: `The ARN ${quote(
        value,
      )} is not a role ARN: its resource must start with "role/" (for example ${quote(
        ROLE_EXAMPLE,
      )}).`,
    });
    return { ok: false, problems };
  }
  const rest = arn.resource.slice('role/'.length);
  const lastSlash = rest.lastIndexOf('/');
  const path = lastSlash === -1 ? '/' : `/${rest.slice(0, lastSlash + 1)}`;
  const name = rest.slice(lastSlash + 1);
  problems.push(
    ...roleNameProblems(name, field),
    ...rolePathProblems(path, field),
  );
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: { partition: arn.partition, accountId: arn.accountId, path, name },
  };
}

/**
 * Formats a role ARN; `path` defaults to `/`.
 *
 * @public
 */
export function formatRoleArn(role: {
  partition: AwsPartition;
  accountId: string;
  name: string;
  path?: string;
}): string {
  const path = role.path ?? '/';
  return `arn:${role.partition}:iam::${role.accountId}:role${path}${role.name}`;
}

const PROVIDER_EXAMPLE =
  'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/**
 * Parses an IAM OIDC provider ARN (`arn:<partition>:iam::<account>:oidc-provider/<host/path>`).
 *
 * @public
 */
export function parseOidcProviderArn(
  value: string,
  field = 'providerArn',
): ParseResult<OidcProviderArn> {
  const parsed = parseArn(value, field, PROVIDER_EXAMPLE);
  if (!parsed.ok) {
    return parsed;
  }
  const arn = parsed.value;
  const problems = iamArnProblems(arn, value, field, PROVIDER_EXAMPLE);
  problems.push(...accountIdProblems(arn.accountId, field));
  const prefix = 'oidc-provider/';
  if (
    !arn.resource.startsWith(prefix) ||
    arn.resource.length === prefix.length
  ) {
    problems.push({
      field,
      message: `The ARN ${quote(
        value,
      )} is not an OIDC provider ARN: its resource must be "oidc-provider/<issuer host and path>" (for example ${quote(
        PROVIDER_EXAMPLE,
      )}).`,
    });
  }
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: {
      partition: arn.partition,
      accountId: arn.accountId,
      hostPath: arn.resource.slice(prefix.length),
    },
  };
}

/**
 * Formats an OIDC provider ARN from the issuer's host/path (see `normalizeIssuer`).
 *
 * @public
 */
export function formatOidcProviderArn(provider: OidcProviderArn): string {
  return `arn:${provider.partition}:iam::${provider.accountId}:oidc-provider/${provider.hostPath}`;
}

const POLICY_EXAMPLE = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

/**
 * Parses an IAM managed policy ARN, customer (`arn:aws:iam::123456789012:policy/x`) or
 * AWS managed (`arn:aws:iam::aws:policy/x`).
 *
 * @public
 */
export function parsePolicyArn(
  value: string,
  field = 'policyArn',
): ParseResult<PolicyArn> {
  const parsed = parseArn(value, field, POLICY_EXAMPLE);
  if (!parsed.ok) {
    return parsed;
  }
  const arn = parsed.value;
  const problems = iamArnProblems(arn, value, field, POLICY_EXAMPLE);
  if (arn.accountId !== 'aws') {
    problems.push(...accountIdProblems(arn.accountId, field));
  }
  if (!arn.resource.startsWith('policy/')) {
    problems.push({
      field,
      message: `The ARN ${quote(
        value,
      )} is not a managed policy ARN: its resource must start with "policy/" (for example ${quote(
        POLICY_EXAMPLE,
      )}).`,
    });
    return { ok: false, problems };
  }
  const rest = arn.resource.slice('policy/'.length);
  const lastSlash = rest.lastIndexOf('/');
  const path = lastSlash === -1 ? '/' : `/${rest.slice(0, lastSlash + 1)}`;
  const name = rest.slice(lastSlash + 1);
  if (name === '' || !/^[A-Za-z0-9+=,.@_-]{1,128}$/.test(name)) {
    problems.push({
      field,
      message: `The ARN ${quote(value)} has policy name ${quote(
        name,
      )}: a policy name is 1–128 letters, digits or + = , . @ _ - (for example ${quote(
        POLICY_EXAMPLE,
      )}).`,
    });
  }
  problems.push(...iamPathProblems(path, field, 'policy path'));
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: { partition: arn.partition, accountId: arn.accountId, path, name },
  };
}
