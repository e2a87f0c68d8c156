import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DEFAULT_OUTBOUND_POLICY } from '../outbound';
import { tokenIssuerProblem } from './tokenChecks';
import type { IrsaClusterConfig } from '../config';

// A self-hosted issuer on 127.0.0.1 (allow-listed) whose JWKS each test sets.
let dir: string;
let server: https.Server;
let issuer: string;
let jwks = '{"keys":[]}';
const policy = { ...DEFAULT_OUTBOUND_POLICY, allowedHosts: ['127.0.0.1'] };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-checks-'));
  execFileSync(
    'openssl',
    [
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
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const cert = fs.readFileSync(path.join(dir, 'c'), 'utf8');
  policy.caCertificates = [cert];
  server = https.createServer(
    { key: fs.readFileSync(path.join(dir, 'k')), cert },
    (req, res) => {
      if (req.url === '/id/X/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
      } else res.end(jwks);
    },
  );
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}/id/X`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise(r => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function tokenWith(kid: string, iss: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(iss)
    .sign(privateKey);
  return { token, jwk: { ...(await exportJWK(publicKey)), kid } };
}

const cluster = (oidcIssuer: string) =>
  ({ name: 'c1', oidcIssuer } as IrsaClusterConfig);

it('F8: the token kid is not in the JWKS', async () => {
  const { token } = await tokenWith('k-token', issuer);
  jwks = JSON.stringify({ keys: [{ kid: 'k-other' }] });
  const problem = await tokenIssuerProblem(token, cluster(issuer), policy);
  expect(problem).toMatchObject({
    code: 'F8',
    status: 'fail',
    detail: `The token is signed with key id "k-token", which the JWKS at ${issuer}/keys does not list (it lists "k-other"): STS would reject it. STS was not called.`,
  });
  expect(JSON.stringify(problem)).not.toContain(token);
});

it('nothing when the kid is listed', async () => {
  const { token, jwk } = await tokenWith('k1', issuer);
  jwks = JSON.stringify({ keys: [jwk] });
  expect(
    await tokenIssuerProblem(token, cluster(issuer), policy),
  ).toBeUndefined();
});

it('F9: the token iss differs from the cluster issuer', async () => {
  const { token } = await tokenWith('k1', issuer);
  const problem = await tokenIssuerProblem(
    token,
    cluster(`${issuer}/`),
    policy,
  );
  expect(problem).toMatchObject({ code: 'F9', status: 'fail' });
  expect(problem?.detail).toContain(
    'one has a trailing slash. STS was not called.',
  );
});

it('nothing when the token is not a JWT, or discovery is refused (STS answers)', async () => {
  expect(
    await tokenIssuerProblem('not-a-jwt', cluster(issuer), policy),
  ).toBeUndefined();
  const { token } = await tokenWith('k-token', issuer);
  expect(
    await tokenIssuerProblem(token, cluster(issuer), DEFAULT_OUTBOUND_POLICY),
  ).toBeUndefined();
});
