import {
  type CheckResult,
  issuerConsistencyCheck,
  jwksCheck,
} from '@backstage-irsa/plugin-irsa-common';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { IrsaClusterConfig } from '../config';
import { discoverIssuer, type OutboundPolicy } from '../outbound';
import type { AwsGatewayFactory } from './gateways';
import { resolveClusterProvider } from './issuerResolver';

/**
 * What Verify can tell from the token it minted before asking STS: F9 when the token's
 * `iss` is not spelled exactly as the cluster's issuer, F8 when the JWKS the issuer's
 * discovery names (fetched through the outbound guard) lacks the token's `kid`. Undefined
 * when neither is shown (including when the issuer or its keys cannot be read: STS then
 * answers for itself). Reads only the token's claims and header; never logs or returns it.
 */
export async function tokenIssuerProblem(
  token: string,
  cluster: IrsaClusterConfig,
  outbound: OutboundPolicy,
  gateways?: AwsGatewayFactory,
): Promise<CheckResult | undefined> {
  let iss: string | undefined;
  let kid: string | undefined;
  try {
    const claims = decodeJwt(token);
    iss = typeof claims.iss === 'string' ? claims.iss : undefined;
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return undefined;
  }
  if (!iss) return undefined;
  let clusterIssuer = cluster.oidcIssuer;
  if (gateways) {
    try {
      clusterIssuer = (await resolveClusterProvider(gateways, cluster))
        .rawIssuer;
    } catch {
      // The status reports an unreadable issuer; STS answers for the token.
    }
  }
  if (clusterIssuer) {
    const f9 = issuerConsistencyCheck(
      { source: `cluster ${cluster.name}'s issuer`, value: clusterIssuer },
      [{ source: `the token's iss`, value: iss }],
    );
    if (f9.status === 'fail') {
      return { ...f9, detail: `${f9.detail} STS was not called.` };
    }
  }
  if (kid === undefined) return undefined;
  const discovery = await discoverIssuer(iss, outbound);
  if (!discovery.ok) return undefined;
  const f8 = jwksCheck(
    discovery.documents.jwks,
    discovery.documents.jwksUri,
    kid,
  );
  return f8.status === 'fail'
    ? { ...f8, detail: `${f8.detail} STS was not called.` }
    : undefined;
}
