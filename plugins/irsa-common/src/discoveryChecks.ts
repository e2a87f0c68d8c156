import { createCheckResult, type CheckResult } from './statusReport';
import { describeIssuerDifferences } from './issuer';

/**
 * One spelling of the cluster's issuer and where it was read.
 *
 * @public
 */
export interface IssuerSpelling {
  /** Where it was read, e.g. `the EKS cluster's issuer`. */
  source: string;
  value: string;
}

/**
 * F9: every spelling of the issuer must be byte-identical to the first (the cluster's),
 * because STS matches the token's `iss`, the provider URL and the discovery document's
 * `issuer` as strings. A failure names each difference (scheme, trailing slash, case, port).
 *
 * @public
 */
export function issuerConsistencyCheck(
  reference: IssuerSpelling,
  others: IssuerSpelling[],
): CheckResult {
  const mismatches = others
    .map(o => ({
      o,
      diff: describeIssuerDifferences(reference.value, o.value),
    }))
    .filter(m => m.diff.length > 0);
  if (mismatches.length === 0) {
    return createCheckResult(
      'F9',
      'pass',
      `${[reference, ...others].map(s => s.source).join(', ')} all read ${
        reference.value
      }.`,
    );
  }
  return createCheckResult(
    'F9',
    'fail',
    mismatches
      .map(
        ({ o, diff }) =>
          `${reference.source} is "${reference.value}" but ${o.source} is "${
            o.value
          }": ${diff.join(', ')}.`,
      )
      .join(' '),
  );
}

/**
 * The provider URL as the issuer IAM matches: IAM stores host and path without scheme.
 *
 * @public
 */
export function providerIssuerUrl(storedUrl: string): string {
  return /^https?:\/\//i.test(storedUrl) ? storedUrl : `https://${storedUrl}`;
}

/**
 * F8: the JWKS the discovery document names has keys, and, when a token's key id is
 * given, a key with that id (else STS cannot check the token's signature).
 *
 * @public
 */
export function jwksCheck(
  jwks: unknown,
  jwksUri: string,
  kid?: string,
): CheckResult {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    return createCheckResult(
      'F8',
      'fail',
      `The JWKS at ${jwksUri} has no keys, so STS cannot check any token's signature.`,
    );
  }
  const kids = keys
    .map(k => (k as { kid?: unknown })?.kid)
    .filter((k): k is string => typeof k === 'string');
  if (kid !== undefined && !kids.includes(kid)) {
    return createCheckResult(
      'F8',
      'fail',
      `The token is signed with key id "${kid}", which the JWKS at ${jwksUri} does not list (it lists ${
        kids.map(k => `"${k}"`).join(', ') || 'no key ids'
      }): STS would reject it.`,
    );
  }
  return createCheckResult(
    'F8',
    'pass',
    kid === undefined
      ? `The JWKS at ${jwksUri} lists ${keys.length} key(s).`
      : `The JWKS at ${jwksUri} lists the token's key id "${kid}".`,
  );
}

/**
 * Whether an issuer host is EKS's own (`oidc.eks.<region>.amazonaws.com[.cn]`), whose
 * certificate IAM trusts without a thumbprint.
 *
 * @public
 */
export function isEksIssuerHost(host: string): boolean {
  return /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i.test(host);
}

/**
 * F7 for an issuer that is not EKS's: the SHA-1 of the top certificate of the chain the
 * issuer serves must be in the provider's ThumbprintList. An empty list passes: IAM then
 * relies on its own trusted CAs.
 *
 * @public
 */
export function thumbprintCheck(
  thumbprints: string[],
  topCertificateSha1: string,
): CheckResult {
  const want = topCertificateSha1.toLowerCase();
  if (thumbprints.length === 0) {
    return createCheckResult(
      'F7',
      'pass',
      `The provider has no thumbprints; IAM relies on the CAs it trusts (the issuer's top certificate is ${want}).`,
    );
  }
  return thumbprints.some(t => t.toLowerCase() === want)
    ? createCheckResult(
        'F7',
        'pass',
        `The provider's thumbprints include ${want}, the issuer's top certificate.`,
      )
    : createCheckResult(
        'F7',
        'fail',
        `The issuer's top certificate has thumbprint ${want}, which is not in the provider's ThumbprintList (${thumbprints.join(
          ', ',
        )}).`,
      );
}
