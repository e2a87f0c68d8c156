import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { discoveryFindings } from '../service/discoveryFindings';
import { DEFAULT_OUTBOUND_POLICY } from './guardedFetch';
import { discoverIssuer, IssuerDiscoveryCache } from './issuerDiscovery';

// An issuer on 127.0.0.1 (allow-listed) whose documents each test sets: F8 and F19 as
// the status computes them, without a sandbox.
let dir: string;
let ca: string;
let server: https.Server;
let base: string;
let routes: Record<string, [number, string]> = {};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'issuer-discovery-'));
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
    'k',
    '-out',
    'c',
    '-subj',
    '/CN=issuer',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
  ca = fs.readFileSync(path.join(dir, 'c'), 'utf8');
  server = https.createServer(
    { key: fs.readFileSync(path.join(dir, 'k')), cert: ca },
    (req, res) => {
      const [status, body] = routes[req.url ?? ''] ?? [404, '{}'];
      res.statusCode = status;
      res.end(body);
    },
  );
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise(r => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const policy = {
  ...DEFAULT_OUTBOUND_POLICY,
  allowedHosts: ['127.0.0.1'],
  caCertificates: [] as string[],
};
beforeEach(() => {
  policy.caCertificates = [ca];
  routes = {};
});

function serveIssuer(jwks: [number, string], discovery?: object) {
  routes['/id/X/.well-known/openid-configuration'] = [
    200,
    JSON.stringify(
      discovery ?? { issuer: `${base}/id/X`, jwks_uri: `${base}/id/X/keys` },
    ),
  ];
  routes['/id/X/keys'] = jwks;
}

async function findings() {
  const issuer = `${base}/id/X`;
  const checks = await discoveryFindings(
    'c1',
    { rawIssuer: issuer, issuerUrl: issuer, hostPath: '', providerArn: '' },
    { arn: '', url: issuer.replace('https://', ''), clientIds: [], tags: {} },
    new IssuerDiscoveryCache(policy),
  );
  return Object.fromEntries(checks.map(c => [c.code, c]));
}

it('passes F19, F9, F8 and F7 for a healthy issuer', async () => {
  serveIssuer([200, '{"keys":[{"kid":"a"}]}']);
  const byCode = await findings();
  expect(Object.values(byCode).map(c => `${c.code}:${c.status}`)).toEqual([
    'F19:pass',
    'F9:pass',
    'F8:pass',
    'F7:pass',
  ]);
});

it('F8: a JWKS without keys', async () => {
  serveIssuer([200, '{"keys":[]}']);
  expect((await findings()).F8).toMatchObject({
    status: 'fail',
    detail: `The JWKS at ${base}/id/X/keys has no keys, so STS cannot check any token's signature.`,
  });
});

it('F8: a jwks_uri that answers 404', async () => {
  serveIssuer([404, '{}']);
  const byCode = await findings();
  expect(byCode.F19.status).toBe('pass');
  expect(byCode.F8).toMatchObject({
    status: 'fail',
    detail: `Could not fetch the JWKS ${base}/id/X/keys that ${base}/id/X/.well-known/openid-configuration names: HTTP: ${base}/id/X/keys answered HTTP 404.`,
  });
  expect(byCode.F9.status).toBe('pass');
});

it('F8: discovery without jwks_uri', async () => {
  serveIssuer([200, '{}'], { issuer: `${base}/id/X` });
  expect((await findings()).F8.detail).toContain('names no jwks_uri');
});

it('F8: a jwks_uri on a host the guard refuses, with no request', async () => {
  serveIssuer([200, '{}'], {
    issuer: `${base}/id/X`,
    jwks_uri: 'https://169.254.169.254/keys',
  });
  expect((await findings()).F8.detail).toContain(
    'the outbound guard refused it: refused 169.254.169.254',
  );
});

it('F19: discovery answering something that is not JSON, and 404', async () => {
  routes['/id/X/.well-known/openid-configuration'] = [200, 'not json'];
  expect((await findings()).F19.detail).toContain('did not answer JSON');
  const outcome = await discoverIssuer(`${base}/nothing/`, policy);
  expect(outcome).toMatchObject({
    ok: false,
    check: {
      code: 'F19',
      detail: `Could not fetch ${base}/nothing/.well-known/openid-configuration: HTTP: ${base}/nothing/.well-known/openid-configuration answered HTTP 404.`,
    },
  });
});

it('fetches each issuer once per cache', async () => {
  serveIssuer([200, '{"keys":[{"kid":"a"}]}']);
  const cache = new IssuerDiscoveryCache(policy);
  const first = cache.discover(`${base}/id/X`);
  expect(cache.discover(`${base}/id/X`)).toBe(first);
  await first;
});
