import {
  coreV1,
  describeSandbox,
  sandboxAppConfig,
  webIdentityRefusal,
  withIssuerFault,
} from '@backstage-irsa/sandbox-test-utils';
import { catalogueRow, sandboxBinding } from '../__testUtils__/sandboxBinding';

// F8, static and live, against the sandbox's one issuer serving a broken JWKS. Every
// signature check in the sandbox reads that issuer, so this suite runs alone, after the
// others (scripts/test, "serial"; docs/sandbox.md).

const config = sandboxAppConfig({
  guardrails: { roleNamePrefix: 'irsa-', rolePath: '/irsa/' },
});

/** What the sandbox's STS says to a fresh token of ServiceAccount `api`. */
async function stsRefusal(namespace: string, roleArn: string) {
  const { status } = await coreV1().createNamespacedServiceAccountToken({
    namespace,
    name: 'api',
    body: {
      spec: { audiences: ['sts.amazonaws.com'], expirationSeconds: 600 },
    },
  });
  const r = await webIdentityRefusal(roleArn, status!.token);
  return `${r.code}: ${r.message}`;
}

describeSandbox('F8: an issuer whose keys cannot be had', () => {
  jest.setTimeout(60_000);

  it('a JWKS without the signing key: the card fails F8, verify refuses before STS, and STS refuses too', async () => {
    const { namespace, roleArn, status, verify } = await sandboxBinding(
      'f8-keys',
      config,
    );
    expect((await status()).byCode.F8.status).toBe('pass');

    await withIssuerFault('no-keys', async () => {
      const { binding, byCode } = await status();
      expect(byCode.F8).toEqual(catalogueRow('F8', 'fail'));
      expect(byCode.F8.detail).toMatch(/\/keys/);
      expect(byCode.F19.status).toBe('pass');
      expect(binding.overall).toBe('broken');

      const live = await verify();
      expect(live).toMatchObject({
        ok: false,
        stsCalled: false,
        check: { code: 'F8', status: 'fail' },
      });
      expect(live.check.detail).toMatch(/STS was not called\.$/);

      // What the product spared the call would have said: STS has no key for the token.
      expect(await stsRefusal(namespace, roleArn)).toMatch(
        /^InvalidIdentityTokenException: Couldn't retrieve verification key from your identity provider/,
      );
    });
    expect((await status()).byCode.F8.status).toBe('pass');
  });

  it('a JWKS that is gone: the card fails F8, and live verify fails F8 with STS refusing', async () => {
    const { roleArn, status, verify } = await sandboxBinding('f8-gone', config);

    await withIssuerFault('not-found', async () => {
      const { binding, byCode } = await status();
      expect(byCode.F8).toEqual(catalogueRow('F8', 'fail'));
      expect(byCode.F8.detail).toMatch(/404/);
      expect(binding.overall).toBe('broken');

      const live = await verify();
      expect(live).toMatchObject({
        ok: false,
        stsCalled: true,
        roleArn,
        stsErrorCode: 'InvalidIdentityTokenException',
        check: { code: 'F8', status: 'fail' },
      });
      expect(live.check.detail).toMatch(
        /^STS refused: InvalidIdentityTokenException: Couldn't retrieve verification key from your identity provider/,
      );
    });
  });
});
