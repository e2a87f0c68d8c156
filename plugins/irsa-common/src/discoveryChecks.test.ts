import {
  isEksIssuerHost,
  issuerConsistencyCheck,
  jwksCheck,
  providerIssuerUrl,
  thumbprintCheck,
} from './discoveryChecks';

const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC';

describe('issuerConsistencyCheck (F9)', () => {
  it('passes when every spelling is identical', () => {
    const c = issuerConsistencyCheck({ source: 'the cluster', value: ISSUER }, [
      { source: 'discovery', value: ISSUER },
    ]);
    expect(c).toMatchObject({ code: 'F9', status: 'pass' });
    expect(c.detail).toContain('the cluster, discovery all read');
  });

  it('names a trailing slash, a port and host case', () => {
    const c = issuerConsistencyCheck({ source: 'the cluster', value: ISSUER }, [
      { source: 'discovery', value: `${ISSUER}/` },
      {
        source: 'the provider',
        value: 'https://OIDC.eks.eu-west-1.amazonaws.com:443/id/ABC',
      },
    ]);
    expect(c.status).toBe('fail');
    expect(c.detail).toContain(
      `discovery is "${ISSUER}/": one has a trailing slash`,
    );
    expect(c.detail).toContain('port differs (none vs 443)');
    expect(c.detail).toContain('host differs in letter case');
  });
});

it('providerIssuerUrl adds the scheme IAM drops', () => {
  expect(providerIssuerUrl('a.example/id/X')).toBe('https://a.example/id/X');
  expect(providerIssuerUrl('https://a.example')).toBe('https://a.example');
});

describe('jwksCheck (F8)', () => {
  const jwks = { keys: [{ kid: 'k1' }, { kty: 'RSA' }] };
  it('fails without keys', () => {
    expect(jwksCheck({ keys: [] }, 'u').status).toBe('fail');
    expect(jwksCheck(null, 'u').detail).toContain('has no keys');
  });
  it('passes with keys, and with the token kid', () => {
    expect(jwksCheck(jwks, 'u').detail).toContain('2 key(s)');
    expect(jwksCheck(jwks, 'u', 'k1')).toMatchObject({ status: 'pass' });
  });
  it('fails when the kid is missing', () => {
    const c = jwksCheck(jwks, 'u', 'k2');
    expect(c).toMatchObject({ code: 'F8', status: 'fail' });
    expect(c.detail).toContain('"k2"');
    expect(c.detail).toContain('"k1"');
    expect(jwksCheck({ keys: [{}] }, 'u', 'k').detail).toContain('no key ids');
  });
});

it('isEksIssuerHost knows EKS issuer hosts', () => {
  expect(isEksIssuerHost('oidc.eks.eu-west-1.amazonaws.com')).toBe(true);
  expect(isEksIssuerHost('oidc.eks.cn-north-1.amazonaws.com.cn')).toBe(true);
  expect(isEksIssuerHost('127.0.0.1')).toBe(false);
  expect(isEksIssuerHost('oidc.eks.eu-west-1.amazonaws.com.evil.test')).toBe(
    false,
  );
});

describe('thumbprintCheck (F7)', () => {
  it('passes with an empty list or a match, case-insensitively', () => {
    expect(thumbprintCheck([], 'AB').status).toBe('pass');
    expect(thumbprintCheck(['ab'], 'AB').status).toBe('pass');
  });
  it('fails when the top certificate is not listed', () => {
    const c = thumbprintCheck(['00'], 'ab');
    expect(c).toMatchObject({ code: 'F7', status: 'fail' });
    expect(c.detail).toContain('thumbprint ab');
  });
});
