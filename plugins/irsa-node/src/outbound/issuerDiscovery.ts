import {
  createCheckResult,
  type CheckResult,
} from '@backstage-irsa/plugin-irsa-common';
import {
  guardedFetch,
  type GuardedResponse,
  type LookupAll,
  OutboundError,
  type OutboundPolicy,
} from './guardedFetch';
import type { JsonValue } from '@backstage/types';
import type { ReadCache } from '../cache/ReadCache';

/** What an issuer serves: discovery, its JWKS, and the top certificate of its chain. */
export interface IssuerDocuments {
  /** The discovery URL fetched: `<issuer>/.well-known/openid-configuration`. */
  discoveryUrl: string;
  /** The discovery document's `issuer`. */
  issuer: string;
  jwksUri: string;
  jwks: unknown;
  topCertificateSha1?: string;
}

/** Either the documents, or the check (F19 or F8) saying why they could not be read. */
export type IssuerDiscoveryOutcome =
  | { ok: true; documents: IssuerDocuments }
  | { ok: false; check: CheckResult };

function explain(e: unknown): string {
  if (e instanceof OutboundError) {
    const word = {
      guard: 'the outbound guard refused it',
      dns: 'DNS',
      connect: 'connection',
      tls: 'TLS',
      http: 'HTTP',
      size: 'size limit',
    }[e.stage];
    return `${word}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

async function getJson(
  url: string,
  policy: OutboundPolicy,
  lookup?: LookupAll,
): Promise<{ json: unknown; response: GuardedResponse }> {
  const response = await guardedFetch(url, policy, lookup);
  if (response.status !== 200) {
    throw new OutboundError('http', `${url} answered HTTP ${response.status}`);
  }
  try {
    return { json: JSON.parse(response.body.toString('utf8')), response };
  } catch {
    throw new OutboundError('http', `${url} did not answer JSON`);
  }
}

/**
 * Fetches an issuer's discovery document and the JWKS it names, as STS does, through the
 * outbound guard. F19 when discovery cannot be read (why: guard, DNS, TLS, HTTP); F8 when
 * discovery names no jwks_uri or the JWKS cannot be read.
 */
export async function discoverIssuer(
  issuer: string,
  policy: OutboundPolicy,
  lookup?: LookupAll,
): Promise<IssuerDiscoveryOutcome> {
  const discoveryUrl = `${issuer.replace(
    /\/+$/,
    '',
  )}/.well-known/openid-configuration`;
  let discovery: { issuer?: unknown; jwks_uri?: unknown };
  let top: string | undefined;
  try {
    const { json, response } = await getJson(discoveryUrl, policy, lookup);
    discovery = (json ?? {}) as typeof discovery;
    top = response.topCertificateSha1;
  } catch (e) {
    return {
      ok: false,
      check: createCheckResult(
        'F19',
        'fail',
        `Could not fetch ${discoveryUrl}: ${explain(e)}.`,
      ),
    };
  }
  if (typeof discovery.jwks_uri !== 'string' || discovery.jwks_uri === '') {
    return {
      ok: false,
      check: createCheckResult(
        'F8',
        'fail',
        `The discovery document at ${discoveryUrl} names no jwks_uri, so STS cannot find the signing keys.`,
      ),
    };
  }
  const jwksUri = discovery.jwks_uri;
  try {
    const { json } = await getJson(jwksUri, policy, lookup);
    return {
      ok: true,
      documents: {
        discoveryUrl,
        issuer: typeof discovery.issuer === 'string' ? discovery.issuer : '',
        jwksUri,
        jwks: json,
        topCertificateSha1: top,
      },
    };
  } catch (e) {
    return {
      ok: false,
      check: createCheckResult(
        'F8',
        'fail',
        `Could not fetch the JWKS ${jwksUri} that ${discoveryUrl} names: ${explain(
          e,
        )}.`,
      ),
    };
  }
}

/**
 * Discovery per issuer, fetched once per status request (several bindings share a
 * cluster) and, with a ReadCache, reused across requests for `irsa.cache.readTtlSeconds`
 * while the issuer serves its documents. A failure is never kept: the card shows a fixed
 * issuer at once.
 */
export class IssuerDiscoveryCache {
  private readonly seen = new Map<string, Promise<IssuerDiscoveryOutcome>>();

  constructor(
    private readonly policy: OutboundPolicy,
    private readonly lookup?: LookupAll,
    private readonly store?: ReadCache,
    private readonly fresh = false,
  ) {}

  discover(issuer: string): Promise<IssuerDiscoveryOutcome> {
    let outcome = this.seen.get(issuer);
    if (!outcome) {
      const fetch = () => discoverIssuer(issuer, this.policy, this.lookup);
      outcome = this.store
        ? this.store
            .read(
              `issuer-discovery:${issuer}`,
              async () => (await fetch()) as unknown as JsonValue,
              this.fresh,
              v =>
                (v as unknown as IssuerDiscoveryOutcome | undefined)?.ok ===
                true,
            )
            .then(v => v as unknown as IssuerDiscoveryOutcome)
        : fetch();
      this.seen.set(issuer, outcome);
    }
    return outcome;
  }
}
