import { X509Certificate } from 'crypto';
import {
  describeSandbox,
  sandboxAppConfig,
  sandboxEnv,
  setOidcProviderThumbprints,
} from '@backstage-irsa/sandbox-test-utils';
import { sandboxBinding } from './__testUtils__/sandboxBinding';

// One test per issuer-discovery check GET /status computes (F19, F9, F7), and the normal
// binding passing them all. The sandbox's issuer is https://127.0.0.1/id/<hex>, served on
// port 443 by scripts/sandbox-lib/issuer_server.py like a real issuer (docs/sandbox.md);
// app-config allow-lists 127.0.0.1 for the outbound guard and trusts the sandbox CA. Each
// test breaks one thing straight in the config or in IAM, and /status must name the code,
// its status, the detail and the catalogue's fix.

type Options = {
  /** The cluster's `oidcIssuer` as configured (default: read from EKS). */
  oidcIssuer?: string;
  /** `irsa.outbound` instead of the sandbox's. */
  outbound?: object;
  /** The role's account (cross-account: the provider there is this test's alone). */
  accountId?: string;
};

async function setup(prefix: string, options: Options = {}) {
  const env = sandboxEnv();
  const irsaClusters = options.oidcIssuer
    ? [
        {
          name: 'sandbox',
          accountId: env.clusterAccountId,
          region: env.region,
          oidcIssuer: options.oidcIssuer,
          kubernetes: { clusterRef: 'sandbox' },
        },
      ]
    : undefined;
  const config = sandboxAppConfig({
    guardrails: { roleNamePrefix: 'irsa-', rolePath: '/irsa/' },
    irsaClusters,
    irsa: options.outbound ? { outbound: options.outbound } : {},
  });
  const { namespace, irsa, oidc, status } = await sandboxBinding(
    prefix,
    config,
    { accountId: options.accountId },
  );
  return { env, irsa, namespace, providerArn: oidc.providerArn, status };
}

const fixOf = (code: string) => ({
  code,
  docsUrl: `docs/troubleshooting.md#${code.toLowerCase()}`,
  fix: expect.any(String),
});

describeSandbox(
  'GET /api/irsa/status fetches the issuer through the guard',
  () => {
    jest.setTimeout(60_000);

    it('the sandbox binding passes F19, F9, F8 and F7', async () => {
      const { env, status } = await setup('disc-ok');
      const { binding, byCode } = await status();
      const issuer = env.oidcIssuer;
      expect(byCode.F19).toMatchObject({
        status: 'pass',
        detail: `The backend fetched ${issuer}/.well-known/openid-configuration and ${issuer}/keys.`,
      });
      expect(byCode.F9).toMatchObject({
        status: 'pass',
        detail: `cluster sandbox's issuer, the IAM provider's URL, the discovery document's issuer all read ${issuer}.`,
      });
      expect(byCode.F8).toMatchObject({
        status: 'pass',
        detail: expect.stringMatching(
          /^The JWKS at .*\/keys lists 1 key\(s\)\.$/,
        ),
      });
      // 127.0.0.1 is not an EKS host, so F7 applies. The product makes providers without
      // thumbprints, but the cluster account's provider is shared: a suite that made it first
      // (irsaRoundTrip) lists the issuer's CA, which passes too. Either way the detail names
      // the CA's real thumbprint.
      const ca = new X509Certificate(
        Buffer.from(env.k8sCaData, 'base64').toString(),
      ).fingerprint
        .replace(/:/g, '')
        .toLowerCase();
      expect(byCode.F7).toMatchObject({
        status: 'pass',
        detail: expect.stringMatching(
          new RegExp(
            `^(The provider has no thumbprints; IAM relies on the CAs it trusts \\(the issuer's top certificate is ${ca}\\)|The provider's thumbprints include ${ca}, the issuer's top certificate)\\.$`,
          ),
        ),
      });
      expect(binding.overall).not.toBe('broken');
    });

    it('F9: a configured issuer with a trailing slash differs from what discovery says', async () => {
      const { env, status } = await setup('f9', {
        oidcIssuer: `${sandboxEnv().oidcIssuer}/`,
      });
      const { binding, byCode } = await status();
      const issuer = env.oidcIssuer;
      expect(byCode.F9).toMatchObject({
        status: 'fail',
        detail:
          `cluster sandbox's issuer is "${issuer}/" but the IAM provider's URL is "${issuer}": one has a trailing slash. ` +
          `cluster sandbox's issuer is "${issuer}/" but the discovery document's issuer is "${issuer}": one has a trailing slash.`,
        ...fixOf('F9'),
      });
      expect(binding.overall).toBe('broken');
    });

    it('F19: an issuer the outbound guard refuses is reported with the reason', async () => {
      const { env, status } = await setup('f19', {
        outbound: { allowedHosts: [], caData: sandboxEnv().k8sCaData },
      });
      const { binding, byCode } = await status();
      expect(byCode.F19).toMatchObject({
        status: 'fail',
        detail: `Could not fetch ${env.oidcIssuer}/.well-known/openid-configuration: the outbound guard refused it: refused 127.0.0.1: it resolves to 127.0.0.1, a loopback address, which is not in irsa.outbound.allowedHosts.`,
        ...fixOf('F19'),
      });
      expect(byCode.F9).toBeUndefined();
      expect(byCode.F8).toBeUndefined();
      expect(binding.overall).toBe('broken');
    });

    it('F19: an issuer whose certificate the backend does not trust', async () => {
      const { status } = await setup('f19tls', {
        outbound: { allowedHosts: ['127.0.0.1'] },
      });
      const { byCode } = await status();
      expect(byCode.F19).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(
          /: TLS: https:\/\/127\.0\.0\.1: TLS failed: /,
        ),
      });
    });

    it('F7: a provider whose thumbprint is not the issuer CA', async () => {
      // A cross-account role: the provider it needs is in the target account, which no
      // other status test reads, so breaking its thumbprint cannot turn theirs broken while
      // they run in parallel. Restored whatever happens.
      const account = sandboxEnv().targetAccountId;
      const { providerArn, status } = await setup('f7', { accountId: account });
      expect(providerArn).toContain(`::${account}:oidc-provider/`);
      const wrong = '0123456789abcdef0123456789abcdef01234567';
      await setOidcProviderThumbprints(account, providerArn, [wrong]);
      try {
        const { binding, byCode } = await status();
        expect(byCode.F7).toMatchObject({
          status: 'fail',
          detail: expect.stringMatching(
            new RegExp(
              `^The issuer's top certificate has thumbprint [0-9a-f]{40}, which is not in the provider's ThumbprintList \\(${wrong}\\)\\.$`,
            ),
          ),
          ...fixOf('F7'),
        });
        expect(binding.overall).toBe('broken');
      } finally {
        await setOidcProviderThumbprints(account, providerArn, []);
      }
    });

    it("F9 in Verify: the token's iss differs from the configured issuer, and STS is not called", async () => {
      const { env, irsa, namespace } = await setup('f9v', {
        oidcIssuer: `${sandboxEnv().oidcIssuer}/`,
      });
      const result = await irsa.verify.verify({
        cluster: 'sandbox',
        namespace,
        name: 'api',
      });
      const issuer = env.oidcIssuer;
      expect(result).toMatchObject({
        ok: false,
        stsCalled: false,
        check: {
          status: 'fail',
          detail: `cluster sandbox's issuer is "${issuer}/" but the token's iss is "${issuer}": one has a trailing slash. STS was not called.`,
          ...fixOf('F9'),
        },
      });
      expect(JSON.stringify(result)).not.toMatch(/eyJ/); // no token in the answer
    });
  },
);
