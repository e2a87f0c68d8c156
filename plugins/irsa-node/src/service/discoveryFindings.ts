import {
  type CheckResult,
  createCheckResult,
  isEksIssuerHost,
  issuerConsistencyCheck,
  jwksCheck,
  providerIssuerUrl,
  thumbprintCheck,
} from '@backstage-irsa/plugin-irsa-common';
import type { OidcProviderRecord } from '../aws';
import type { IssuerDiscoveryCache } from '../outbound';
import type { ClusterProvider } from './issuerResolver';

/**
 * What the status knows of the issuer without a token: F19 (discovery reachable through
 * the outbound guard), F9 (the cluster's issuer, the provider URL and discovery's `issuer`
 * spelled the same), F8 (the JWKS it names has keys) and, for an issuer that is not EKS's,
 * F7 (the provider's thumbprints hold the issuer's top certificate). A failing F19 stops
 * there: nothing else about the issuer can be read.
 */
export async function discoveryFindings(
  clusterName: string,
  clusterProvider: ClusterProvider,
  provider: OidcProviderRecord,
  discovery: IssuerDiscoveryCache,
): Promise<CheckResult[]> {
  const clusterIssuer = clusterProvider.rawIssuer;
  const outcome = await discovery.discover(clusterIssuer);
  const reference = {
    source: `cluster ${clusterName}'s issuer`,
    value: clusterIssuer,
  };
  const providerSpelling = {
    source: `the IAM provider's URL`,
    value: providerIssuerUrl(provider.url),
  };
  if (!outcome.ok) {
    const checks = [outcome.check];
    if (outcome.check.code !== 'F19') {
      checks.unshift(
        createCheckResult(
          'F19',
          'pass',
          `The backend fetched the discovery document of ${clusterIssuer}.`,
        ),
      );
      checks.push(issuerConsistencyCheck(reference, [providerSpelling]));
    }
    return checks;
  }
  const docs = outcome.documents;
  const checks: CheckResult[] = [
    createCheckResult(
      'F19',
      'pass',
      `The backend fetched ${docs.discoveryUrl} and ${docs.jwksUri}.`,
    ),
    issuerConsistencyCheck(reference, [
      providerSpelling,
      { source: `the discovery document's issuer`, value: docs.issuer },
    ]),
    jwksCheck(docs.jwks, docs.jwksUri),
  ];
  const host = new URL(docs.discoveryUrl).hostname.replace(/^\[|\]$/g, '');
  if (!isEksIssuerHost(host) && docs.topCertificateSha1) {
    checks.push(
      thumbprintCheck(provider.thumbprints ?? [], docs.topCertificateSha1),
    );
  }
  return checks;
}
