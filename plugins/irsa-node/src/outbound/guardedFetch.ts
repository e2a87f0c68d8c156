import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import https from 'node:https';
import net, { BlockList } from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import { createHash } from 'node:crypto';

/**
 * How outbound HTTP from the backend is limited (`irsa.outbound`). Every request the
 * product makes to a URL that comes from configuration or cluster data (an OIDC issuer,
 * the jwks_uri its discovery names) goes through {@link guardedFetch} with this policy.
 */
export interface OutboundPolicy {
  /**
   * Host names, IP addresses or CIDR ranges that may be reached although they resolve to
   * private, loopback, link-local or other non-public addresses (the sandbox's 127.0.0.1).
   */
  allowedHosts: string[];
  /** Extra PEM CA certificates trusted (besides Node's) for these requests. */
  caCertificates: string[];
  timeoutMs: number;
  maxResponseBytes: number;
}

/** Defaults of `irsa.outbound`. */
export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = {
  allowedHosts: [],
  caCertificates: [],
  timeoutMs: 5000,
  maxResponseBytes: 1024 * 1024,
};

/** Why a request was not made or failed; `stage` says where. */
export class OutboundError extends Error {
  constructor(
    readonly stage: 'guard' | 'dns' | 'connect' | 'tls' | 'http' | 'size',
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

export interface GuardedResponse {
  status: number;
  body: Buffer;
  /** SHA-1 (lower-case hex) of the top certificate of the chain the server sent. */
  topCertificateSha1?: string;
}

/** A `dns.lookup` with `all: true`, injectable for tests. */
export type LookupAll = (host: string) => Promise<LookupAddress[]>;

const systemLookup: LookupAll = host =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/** Address ranges never reached unless allow-listed, each with the word for it. */
const RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT (shared)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  [
    '169.254.0.0',
    16,
    'ipv4',
    'link-local (incl. the instance metadata service)',
  ],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64'],
];
const BLOCKS = RANGES.map(([address, prefix, family, word]) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return { list, word };
});

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return net.isIPv4(address) ? 'ipv4' : 'ipv6';
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as its IPv4 address. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}

/** The kind of non-public address `address` is, or undefined when it is public. */
export function nonPublicKind(address: string): string | undefined {
  const a = unmapped(address);
  const family = familyOf(a);
  return BLOCKS.find(b => b.list.check(a, family))?.word;
}

/** Whether the allow-list names this host or covers this address. */
function allowListed(
  host: string,
  address: string,
  allowed: string[],
): boolean {
  const a = unmapped(address);
  return allowed.some(entry => {
    const e = entry.trim().toLocaleLowerCase('en-US');
    if (e === host) return true;
    const [ip, prefix] = e.split('/');
    if (!net.isIP(ip)) return false;
    const list = new BlockList();
    const family = familyOf(ip);
    if (prefix === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(prefix), family);
    return list.check(a, familyOf(a));
  });
}

/**
 * Checks a URL and resolves its host, before any connection: https only, no credentials,
 * and every address the host resolves to must be public unless allow-listed. Returns the
 * address to connect to.
 */
export async function vetUrl(
  raw: string,
  policy: OutboundPolicy,
  lookup: LookupAll = systemLookup,
): Promise<{ url: URL; host: string; address: LookupAddress }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('guard', `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'https:') {
    throw new OutboundError(
      'guard',
      `refused ${url.protocol.replace(':', '')} URL ${
        url.origin
      }: only https is fetched`,
    );
  }
  if (url.username || url.password) {
    throw new OutboundError('guard', `refused a URL with credentials`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLocaleLowerCase('en-US');
  let addresses: LookupAddress[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await lookup(host);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new OutboundError('dns', `could not resolve ${host} (${code})`);
    }
  }
  if (addresses.length === 0) {
    throw new OutboundError('dns', `${host} resolves to no address`);
  }
  for (const a of addresses) {
    const kind = nonPublicKind(a.address);
    if (kind && !allowListed(host, a.address, policy.allowedHosts)) {
      throw new OutboundError(
        'guard',
        `refused ${host}: it resolves to ${a.address}, a ${kind} address, which is not in irsa.outbound.allowedHosts`,
      );
    }
  }
  return { url, host, address: addresses[0] };
}

function topOfChain(cert: PeerCertificate | undefined): string | undefined {
  let c = cert as
    | (PeerCertificate & { issuerCertificate?: PeerCertificate })
    | undefined;
  if (!c || !c.raw) return undefined;
  const seen = new Set<string>();
  while (
    c.issuerCertificate &&
    c.issuerCertificate !== c &&
    c.issuerCertificate.raw &&
    !seen.has(c.fingerprint256)
  ) {
    seen.add(c.fingerprint256);
    c = c.issuerCertificate as typeof c;
  }
  return createHash('sha1').update(c.raw).digest('hex');
}

/**
 * GET a URL under the outbound policy: vetted before any connection (see {@link vetUrl});
 * the connection goes to the vetted address (no second DNS answer between check and
 * connect); TLS verified against Node's CAs plus `caCertificates`; a timeout over the whole
 * request; at most `maxResponseBytes` read; redirects never followed (a 3xx is an error
 * naming where it pointed), so a redirect cannot lead to another host or address.
 */
export async function guardedFetch(
  raw: string,
  policy: OutboundPolicy,
  lookup: LookupAll = systemLookup,
): Promise<GuardedResponse> {
  const { url, host, address } = await vetUrl(raw, policy, lookup);
  const ca = policy.caCertificates.length
    ? [...tls.rootCertificates, ...policy.caCertificates]
    : undefined;
  return new Promise((resolve, reject) => {
    let settled = false;
    // eslint-disable-next-line prefer-const -- assigned once, below; fail() needs it first
    let req: ReturnType<typeof https.request> | undefined;
    const fail = (e: OutboundError) => {
      if (settled) return;
      settled = true;
      req?.destroy();
      reject(e);
    };
    req = https.request(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: host,
        port: url.port ? Number(url.port) : 443,
        path: `${url.pathname}${url.search}`,
        headers: { accept: 'application/json', 'user-agent': 'backstage-irsa' },
        ...(net.isIP(host) ? {} : { servername: host }),
        ca,
        agent: false,
        lookup: ((_host: string, options: { all?: boolean }, cb: Function) => {
          // The address vetted above, never a second DNS answer (no rebinding).
          if (options.all) cb(null, [address]);
          else cb(null, address.address, address.family);
        }) as unknown as https.RequestOptions['lookup'],
        timeout: policy.timeoutMs,
      },
      res => {
        const status = res.statusCode ?? 0;
        const socket = res.socket as TLSSocket;
        const topCertificateSha1 = topOfChain(
          socket.getPeerCertificate?.(true),
        );
        if (status >= 300 && status < 400) {
          res.resume();
          fail(
            new OutboundError(
              'http',
              `${url.origin}${url.pathname} redirected (HTTP ${status}) to ${
                res.headers.location ?? 'nowhere'
              }; redirects are not followed`,
            ),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > policy.maxResponseBytes) {
            fail(
              new OutboundError(
                'size',
                `${url.origin}${url.pathname} sent more than ${policy.maxResponseBytes} bytes`,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status, body: Buffer.concat(chunks), topCertificateSha1 });
        });
        res.on('error', e => fail(new OutboundError('connect', e.message)));
      },
    );
    req.on('timeout', () =>
      fail(
        new OutboundError(
          'connect',
          `${url.origin} did not answer within ${policy.timeoutMs} ms`,
        ),
      ),
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      const tlsProblem =
        /CERT|SSL|TLS|self.signed|certificate/i.test(e.code ?? '') ||
        /certificate|TLS|SSL/i.test(e.message);
      fail(
        new OutboundError(
          tlsProblem ? 'tls' : 'connect',
          `${url.origin}: ${tlsProblem ? 'TLS failed' : 'connection failed'}: ${
            e.code ?? e.message
          }`,
        ),
      );
    });
    req.end();
  });
}
