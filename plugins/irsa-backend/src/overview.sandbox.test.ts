import { mockCredentials } from '@backstage/backend-test-utils';
import {
  describeSandbox,
  sandboxAppConfig,
  sandboxEnv,
  setRoleTrust,
  webIdentityTrust,
} from '@backstage-irsa/sandbox-test-utils';
import request from 'supertest';
import { sandboxBinding } from './__testUtils__/sandboxBinding';

// The platform overview against the sandbox's peers: every ServiceAccount the product
// manages, with its owner, role and status; filtered, paged; a trust broken by hand shows
// as the page's problem after a Refresh (fresh=true), as on the card.

describeSandbox('GET /api/irsa/overview', () => {
  jest.setTimeout(60_000);

  it('lists a managed ServiceAccount with its owner, role and status, and shows a broken trust', async () => {
    const config = sandboxAppConfig({
      guardrails: { roleNamePrefix: 'irsa-', rolePath: '/irsa/' },
    });
    const { server, namespace, entityRef, roleArn, rolePlan, oidc } =
      await sandboxBinding('ov', config);
    const overview = async (query: Record<string, string>) => {
      const res = await request(server)
        .get('/api/irsa/overview')
        .query(query)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body;
    };

    const page = await overview({ namespace });
    expect(page).toMatchObject({ total: 1, page: 1, pageSize: 50, checks: [] });
    expect(page.items).toEqual([
      {
        cluster: 'sandbox',
        namespace,
        serviceAccount: 'api',
        entityRef,
        roleArn,
        overall: 'trusted',
      },
    ]);
    // Every cluster's managed ServiceAccounts, paged: a page of one, and past the end.
    const all = await overview({ pageSize: '1' });
    expect(all.total).toBeGreaterThanOrEqual(1);
    expect(all.items).toHaveLength(1);
    expect(
      (await overview({ page: String(all.total + 1), pageSize: '1' })).items,
    ).toEqual([]);
    expect((await overview({ entityRef })).items).toHaveLength(1);

    await setRoleTrust(
      sandboxEnv().clusterAccountId,
      rolePlan.roleName,
      webIdentityTrust(
        oidc.providerArn,
        `system:serviceaccount:${namespace}:someone-else`,
      ),
    );
    const broken = await overview({ namespace, fresh: 'true' });
    expect(broken.items[0]).toMatchObject({
      overall: 'broken',
      problem: { code: 'F3', status: 'fail' },
    });
  });
});
