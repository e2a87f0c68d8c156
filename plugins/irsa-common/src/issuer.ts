import { formatOidcProviderArn } from './arn';
import { AwsPartition } from './partition';
import { ParseResult, Problem, quote } from './problems';

/**
 * An OIDC issuer in the three forms IAM uses.
 *
 * @public
 */
export interface NormalizedIssuer {
  /** The provider `Url` for `CreateOpenIDConnectProvider`: `https://<host/path>`. */
  url: string;
  /**
   * Host and path without scheme, port or trailing slash: the end of the provider ARN and
   * the condition-key prefix (`<hostPath>:sub`).
   */
  hostPath: string;
  /** Lower-cased host name. */
  host: string;
  /** Path without trailing slash; empty when the issuer is a bare host. */
  path: string;
}

const EXAMPLE =
  'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Normalises an issuer URL into the forms IAM uses.
 *
 * @remarks
 * IAM provider ARNs and condition keys carry host and path only, so the scheme, a default
 * `:443` port, trailing slashes and the case of the host are normalised away (F9 is the
 * failure where two spellings of one issuer are compared as strings). The path keeps its
 * case: EKS issuer ids are upper-case hex and IAM compares them exactly. A missing scheme
 * is read as `https://`; any other scheme, a non-default port, credentials, a query or a
 * fragment is a problem, because IAM only accepts `https` issuers without them.
 *
 * @public
 */
export function normalizeIssuer(
  value: string,
  field = 'issuer',
): ParseResult<NormalizedIssuer> {
  const problems: Problem[] = [];
  let rest = value.trim();
  const scheme = SCHEME.exec(rest);
  if (scheme) {
    if (scheme[1].toLocaleLowerCase('en-US') !== 'https') {
      problems.push({
        field,
        message: `The issuer ${quote(value)} uses scheme ${quote(
          scheme[1],
        )}: IAM OIDC providers must use "https" (for example ${quote(
          EXAMPLE,
        )}).`,
      });
    }
    rest = rest.slice(scheme[0].length);
  }
  const queryAt = rest.search(/[?#]/);
  if (queryAt !== -1) {
    problems.push({
      field,
      message: `The issuer ${quote(
        value,
      )} has a query or fragment: an OIDC issuer is a scheme, host and optional path only (for example ${quote(
        EXAMPLE,
      )}).`,
    });
    rest = rest.slice(0, queryAt);
  }
  const slash = rest.indexOf('/');
  let authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = (slash === -1 ? '' : rest.slice(slash)).replace(/\/+$/, '');
  if (authority.includes('@')) {
    problems.push({
      field,
      message: `The issuer ${quote(
        value,
      )} contains credentials ("user@"): an OIDC issuer is a scheme, host and optional path only (for example ${quote(
        EXAMPLE,
      )}).`,
    });
    authority = authority.slice(authority.lastIndexOf('@') + 1);
  }
  const colon = authority.indexOf(':');
  if (colon !== -1) {
    const port = authority.slice(colon + 1);
    if (port !== '443') {
      problems.push({
        field,
        message: `The issuer ${quote(value)} names port ${quote(
          port,
        )}: IAM fetches OIDC discovery over HTTPS on port 443 and provider URLs carry no port (for example ${quote(
          EXAMPLE,
        )}).`,
      });
    }
    authority = authority.slice(0, colon);
  }
  const host = authority.toLocaleLowerCase('en-US');
  const labels = host.split('.');
  if (host === '' || labels.some(label => !HOST_LABEL.test(label))) {
    problems.push({
      field,
      message: `The issuer ${quote(value)} has host ${quote(
        host,
      )}, which is not a DNS name: use letters, digits, hyphens and dots (for example ${quote(
        EXAMPLE,
      )}).`,
    });
  }
  if (/\s/.test(path)) {
    problems.push({
      field,
      message: `The issuer ${quote(
        value,
      )} has white space in its path: OIDC issuer URLs contain none (for example ${quote(
        EXAMPLE,
      )}).`,
    });
  }
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  const hostPath = `${host}${path}`;
  return {
    ok: true,
    value: { url: `https://${hostPath}`, hostPath, host, path },
  };
}

/**
 * The IAM OIDC provider ARN for an issuer in an account.
 *
 * @public
 */
export function oidcProviderArnForIssuer(
  issuer: NormalizedIssuer,
  partition: AwsPartition,
  accountId: string,
): string {
  return formatOidcProviderArn({
    partition,
    accountId,
    hostPath: issuer.hostPath,
  });
}

/**
 * The web-identity claims IAM exposes as condition keys for an OIDC provider.
 *
 * @public
 */
export type OidcClaimKey = 'sub' | 'aud' | 'amr';

/**
 * A condition key for a provider, `<hostPath>:<claim>`: no scheme and no ARN prefix (F4).
 *
 * @public
 */
export function oidcConditionKey(
  hostPath: string,
  claim: OidcClaimKey,
): string {
  return `${hostPath}:${claim}`;
}

/**
 * How two spellings of the same issuer differ, in words, or `[]` when they are
 * byte-identical. Used to explain F9 (issuer mismatch) precisely.
 *
 * @public
 */
export function describeIssuerDifferences(a: string, b: string): string[] {
  if (a === b) {
    return [];
  }
  const differences: string[] = [];
  const schemeOf = (s: string) =>
    SCHEME.exec(s.trim())?.[1]?.toLocaleLowerCase('en-US');
  if (schemeOf(a) !== schemeOf(b)) {
    differences.push(
      `scheme differs (${schemeOf(a) ?? 'none'} vs ${schemeOf(b) ?? 'none'})`,
    );
  }
  const trailing = (s: string) => /\/\s*$/.test(s);
  if (trailing(a) !== trailing(b)) {
    differences.push('one has a trailing slash');
  }
  const withoutScheme = (s: string) => s.trim().replace(SCHEME, '');
  const portOf = (s: string) => /^[^/]*:(\d+)/.exec(withoutScheme(s))?.[1];
  if (portOf(a) !== portOf(b)) {
    differences.push(
      `port differs (${portOf(a) ?? 'none'} vs ${portOf(b) ?? 'none'})`,
    );
  }
  const na = normalizeIssuer(a);
  const nb = normalizeIssuer(b);
  if (na.ok && nb.ok) {
    const hostA = withoutScheme(a).split(/[/:]/)[0];
    const hostB = withoutScheme(b).split(/[/:]/)[0];
    if (hostA !== hostB && na.value.host === nb.value.host) {
      differences.push('host differs in letter case');
    }
    if (na.value.hostPath !== nb.value.hostPath) {
      differences.push(
        `they are different issuers (${na.value.hostPath} vs ${nb.value.hostPath})`,
      );
    }
  } else if (differences.length === 0) {
    differences.push('they are different strings');
  }
  if (differences.length === 0) {
    differences.push('white space differs');
  }
  return differences;
}

/**
 * True when two issuer spellings denote the same IAM provider (same `hostPath`).
 *
 * @public
 */
export function isSameIssuer(a: string, b: string): boolean {
  const na = normalizeIssuer(a);
  const nb = normalizeIssuer(b);
  return na.ok && nb.ok && na.value.hostPath === nb.value.hostPath;
}
