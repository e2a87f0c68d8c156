import { createHash, createHmac } from 'node:crypto';
import {
  EKS_TOKEN_PREFIX,
  EKS_TOKEN_PRESIGN_SECONDS,
  presignEksToken,
} from './eksToken';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const signingDate = new Date('2026-03-04T05:06:07.890Z');

/** The presigned URL inside a token, as aws-iam-authenticator decodes it. */
function urlOf(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  // base64url without padding (Go's base64.RawURLEncoding refuses anything else).
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * SigV4 of a presigned GET, written out from AWS's specification (not with the SDK's
 * signer): what STS computes for the request aws-iam-authenticator sends it, which carries
 * the authenticator's own cluster id in `x-k8s-aws-id`.
 */
function expectedSignature(url: URL, clusterIdSent: string, secret: string) {
  const params = [...url.searchParams.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join('&');
  const canonical = [
    'GET',
    '/',
    params,
    `host:${url.host}\nx-k8s-aws-id:${clusterIdSent}\n`,
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const date = url.searchParams.get('X-Amz-Date')!;
  const scope = url.searchParams.get('X-Amz-Credential')!.split('/').slice(1);
  const toSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope.join('/'),
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const key = scope
    .slice(0, 4)
    .reduce<Buffer | string>(
      (k, part) => createHmac('sha256', k).update(part).digest(),
      `AWS4${secret}`,
    );
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('presignEksToken', () => {
  it('is a presigned STS GetCallerIdentity, 60 s, signing host and x-k8s-aws-id', async () => {
    const { token, expiresAt } = await presignEksToken({
      credentials,
      region: 'eu-west-1',
      clusterId: 'prod',
      signingDate,
    });
    const url = urlOf(token);
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    // Only the parameters aws-iam-authenticator's whitelist allows, each once.
    expect([...url.searchParams.keys()].sort()).toEqual([
      'Action',
      'Version',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-Signature',
      'X-Amz-SignedHeaders',
    ]);
    expect(Object.fromEntries(url.searchParams)).toEqual(
      expect.objectContaining({
        Action: 'GetCallerIdentity',
        Version: '2011-06-15',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': 'AKIDEXAMPLE/20260304/eu-west-1/sts/aws4_request',
        'X-Amz-Date': '20260304T050607Z',
        'X-Amz-Expires': String(EKS_TOKEN_PRESIGN_SECONDS),
        'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      }),
    );
    expect(EKS_TOKEN_PRESIGN_SECONDS).toBe(60);
    expect(expiresAt).toBe(Date.parse('2026-03-04T05:07:07Z'));
    // The token is only good for the cluster it names: the signature covers the header.
    const signature = url.searchParams.get('X-Amz-Signature');
    expect(signature).toBe(
      expectedSignature(url, 'prod', credentials.secretAccessKey),
    );
    expect(signature).not.toBe(
      expectedSignature(url, 'other', credentials.secretAccessKey),
    );
    // Never the secret key in the token.
    expect(Buffer.from(token).toString()).not.toContain(
      credentials.secretAccessKey,
    );
  });

  it('carries the session token of temporary credentials (an assumed role)', async () => {
    const { token } = await presignEksToken({
      credentials: async () => ({
        ...credentials,
        sessionToken: 'FwoGZXIvYXdzE+/session==',
      }),
      region: 'us-east-1',
      clusterId: 'sandbox',
      signingDate,
    });
    const url = urlOf(token);
    expect(url.host).toBe('sts.us-east-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(
      'FwoGZXIvYXdzE+/session==',
    );
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'sandbox', credentials.secretAccessKey),
    );
  });
});
