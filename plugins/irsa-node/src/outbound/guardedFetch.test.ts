import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_OUTBOUND_POLICY,
  guardedFetch,
  type LookupAll,
  nonPublicKind,
  type OutboundPolicy,
} from './guardedFetch';

// A TLS server on 127.0.0.1 counting every connection it accepts: a refused URL must leave
// the count at zero (no request made), an allowed one must reach it.
let dir: string;
let ca: string;
let server: https.Server;
let port: number;
let connections = 0;
let handler: (req: any, res: any) => void;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guarded-fetch-'));
  const run = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    '/CN=test-ca',
  );
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'srv.key',
    '-out',
    'srv.csr',
    '-subj',
    '/CN=srv',
  );
  fs.writeFileSync(
    path.join(dir, 'san.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:issuer.test\n',
  );
  run(
    'x509',
    '-req',
    '-in',
    'srv.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'srv.crt',
  );
  ca = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
  const cert = fs.readFileSync(path.join(dir, 'srv.crt'), 'utf8') + ca;
  server = https.createServer(
    { key: fs.readFileSync(path.join(dir, 'srv.key')), cert },
    (req, res) => handler(req, res),
  );
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise(r => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  connections = 0;
  handler = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  };
});

const policy = (over: Partial<OutboundPolicy> = {}): OutboundPolicy => ({
  ...DEFAULT_OUTBOUND_POLICY,
  caCertificates: [ca],
  ...over,
});

/** A lookup that answers `addresses` for any host and records what it was asked. */
function fakeLookup(...addresses: string[]) {
  const asked: string[] = [];
  const lookup: LookupAll = async host => {
    asked.push(host);
    return addresses.map(address => ({
      address,
      family: net.isIPv6(address) ? 6 : 4,
    }));
  };
  return { lookup, asked };
}

describe('guardedFetch refuses, with no request made', () => {
  it.each([
    ['http', `http://127.0.0.1:PORT/x`, /only https/],
    [
      'loopback not allow-listed',
      `https://127.0.0.1:PORT/x`,
      /127\.0\.0\.1, a loopback address, which is not in irsa\.outbound\.allowedHosts/,
    ],
    ['credentials', `https://user:pw@127.0.0.1:PORT/x`, /credentials/],
    [
      'IMDS (link-local)',
      `https://169.254.169.254/latest/meta-data`,
      /link-local/,
    ],
    ['IPv6 loopback', `https://[::1]:PORT/x`, /loopback/],
    ['IPv6 link-local', `https://[fe80::1]/x`, /link-local/],
    ['IPv4-mapped loopback', `https://[::ffff:127.0.0.1]:PORT/x`, /loopback/],
    ['not a URL', 'not a url', /not a URL/],
  ])('%s', async (_what, url, reason) => {
    await expect(
      guardedFetch(url.replace('PORT', String(port)), policy()),
    ).rejects.toThrow(reason);
    expect(connections).toBe(0);
  });

  it.each([
    ['10.1.2.3', /private/],
    ['172.20.0.1', /private/],
    ['192.168.1.1', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['fd00::1', /private/],
    ['0.0.0.0', /unspecified/],
  ])('a host resolving to %s', async (address, reason) => {
    const { lookup, asked } = fakeLookup(address);
    await expect(
      guardedFetch(`https://issuer.test:${port}/x`, policy(), lookup),
    ).rejects.toThrow(reason);
    expect(asked).toEqual(['issuer.test']);
    expect(connections).toBe(0);
  });

  it('a host with one public and one private address', async () => {
    const { lookup } = fakeLookup('93.184.216.34', '127.0.0.1');
    await expect(
      guardedFetch(`https://issuer.test:${port}/x`, policy(), lookup),
    ).rejects.toThrow(/loopback/);
    expect(connections).toBe(0);
  });

  it('a host that does not resolve', async () => {
    const lookup: LookupAll = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    };
    await expect(
      guardedFetch('https://issuer.test/x', policy(), lookup),
    ).rejects.toMatchObject({
      stage: 'dns',
      message: expect.stringMatching(/ENOTFOUND/),
    });
  });
});

describe('guardedFetch with the address allow-listed', () => {
  it('fetches, and reports the top certificate of the chain', async () => {
    const res = await guardedFetch(
      `https://127.0.0.1:${port}/x`,
      policy({ allowedHosts: ['127.0.0.0/8'] }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true });
    const caSha1 = createHash('sha1')
      .update(new X509Certificate(ca).raw)
      .digest('hex');
    expect(res.topCertificateSha1).toBe(caSha1);
    expect(connections).toBe(1);
  });

  it('connects to the vetted address, by host name (SNI) when allow-listed by name', async () => {
    const { lookup, asked } = fakeLookup('127.0.0.1');
    const res = await guardedFetch(
      `https://ISSUER.test:${port}/x`,
      policy({ allowedHosts: ['issuer.test'] }),
      lookup,
    );
    expect(res.status).toBe(200);
    expect(asked).toEqual(['issuer.test']);
  });

  it('fails TLS without the CA', async () => {
    await expect(
      guardedFetch(`https://127.0.0.1:${port}/x`, {
        ...policy({ allowedHosts: ['127.0.0.1'] }),
        caCertificates: [],
      }),
    ).rejects.toMatchObject({ stage: 'tls' });
  });

  it('does not follow a redirect, to another host or its own', async () => {
    handler = (_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'https://169.254.169.254/latest/meta-data');
      res.end();
    };
    await expect(
      guardedFetch(
        `https://127.0.0.1:${port}/x`,
        policy({ allowedHosts: ['127.0.0.1'] }),
      ),
    ).rejects.toThrow(
      /redirected \(HTTP 302\) to https:\/\/169\.254\.169\.254\/latest\/meta-data; redirects are not followed/,
    );
    expect(connections).toBe(1);
  });

  it('stops reading past the size limit', async () => {
    handler = (_req, res) => res.end('x'.repeat(5000));
    await expect(
      guardedFetch(
        `https://127.0.0.1:${port}/x`,
        policy({ allowedHosts: ['127.0.0.1'], maxResponseBytes: 1024 }),
      ),
    ).rejects.toMatchObject({ stage: 'size' });
  });

  it('times out', async () => {
    handler = () => undefined; // never answers
    await expect(
      guardedFetch(
        `https://127.0.0.1:${port}/x`,
        policy({ allowedHosts: ['127.0.0.1'], timeoutMs: 300 }),
      ),
    ).rejects.toThrow(/did not answer within 300 ms/);
  });
});

it('nonPublicKind says public for public addresses', () => {
  expect(nonPublicKind('93.184.216.34')).toBeUndefined();
  expect(nonPublicKind('2606:4700::1')).toBeUndefined();
  expect(nonPublicKind('169.254.169.254')).toMatch(/metadata/);
});
