import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  deleteRoleByHand,
  describeSandbox,
  sandboxAppConfig,
  sandboxEnv,
} from '@backstage-irsa/sandbox-test-utils';
import request from 'supertest';
import { sandboxBinding } from './__testUtils__/sandboxBinding';
import { irsaPlugin } from './plugin';

// The overview's leftovers against the sandbox's peers: a binding made by the product's
// services, then the entity gone from the catalog (the role is an orphan), then the role
// gone from IAM (the ServiceAccount is listed as "role gone"); and the overview's sort,
// status filter and export over the same real binding.

describeSandbox('GET /api/irsa/overview/orphans and /overview/export', () => {
  jest.setTimeout(120_000);

  const config = sandboxAppConfig({
    guardrails: { roleNamePrefix: 'irsa-', rolePath: '/irsa/' },
  });

  /** Every item of one kind of orphan, all pages (the shared sandbox holds others' too). */
  async function allOrphans(
    server: any,
    kind: string,
    filters: Record<string, string> = {},
  ) {
    const items: any[] = [];
    for (let page = 1; ; page++) {
      const res = await request(server)
        .get('/api/irsa/overview/orphans')
        .query({
          kind,
          page: String(page),
          pageSize: '200',
          fresh: page === 1 ? 'true' : 'false',
          ...filters,
        })
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      // Other suites leave ServiceAccounts in accounts this config does not know (P8 for
      // them); nothing about this test's bindings may be unread.
      expect(
        res.body.checks.filter((c: { detail: string }) =>
          c.detail.includes('orph-'),
        ),
      ).toEqual([]);
      items.push(...res.body.items);
      if (items.length >= res.body.total || res.body.items.length === 0)
        return items;
    }
  }

  it('lists the role of an entity gone from the catalog, then the ServiceAccount whose role is gone', async () => {
    const { server, namespace, entityRef, roleArn, rolePlan } =
      await sandboxBinding('orph', config);

    // While the entity is in the catalog, its role is nobody's orphan.
    expect(
      (await allOrphans(server, 'roles')).map(o => o.roleArn),
    ).not.toContain(roleArn);

    // The same backend config, with a catalog that no longer has the entity.
    const { server: withoutEntity } = await startTestBackend({
      features: [
        irsaPlugin,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    const orphans = await allOrphans(withoutEntity, 'roles');
    expect(orphans.filter(o => o.roleArn === roleArn)).toEqual([
      {
        accountId: sandboxEnv().clusterAccountId,
        roleArn,
        roleName: rolePlan.roleName,
        entityRef,
        createDate: expect.any(String),
        // From the managed ServiceAccount annotated with it.
        cluster: 'sandbox',
        namespace,
        serviceAccount: 'api',
      },
    ]);
    expect(
      (await allOrphans(withoutEntity, 'serviceAccounts')).filter(
        s => s.namespace === namespace,
      ),
    ).toEqual([]);
    // The overview's filters narrow the leftovers as they do the bindings.
    expect(
      (await allOrphans(withoutEntity, 'roles', { namespace })).map(
        o => o.roleArn,
      ),
    ).toEqual([roleArn]);
    expect(
      (await allOrphans(withoutEntity, 'roles', { entityRef })).map(
        o => o.roleArn,
      ),
    ).toEqual([roleArn]);
    expect(
      await allOrphans(withoutEntity, 'roles', {
        namespace,
        cluster: 'elsewhere',
      }),
    ).toEqual([]);

    // The role deleted behind the product's back: its ServiceAccount is left over (P4),
    // and the role is no longer an orphan (Refresh: fresh=true reads IAM anew).
    await deleteRoleByHand(sandboxEnv().clusterAccountId, rolePlan.roleName);
    const gone = await allOrphans(withoutEntity, 'serviceAccounts');
    expect(
      (await allOrphans(withoutEntity, 'serviceAccounts', { namespace })).map(
        s => s.serviceAccount,
      ),
    ).toEqual(['api']);
    expect(gone.filter(s => s.namespace === namespace)).toEqual([
      {
        cluster: 'sandbox',
        namespace,
        serviceAccount: 'api',
        entityRef,
        roleArn,
        check: expect.objectContaining({
          code: 'P4',
          status: 'fail',
          detail: `Role ${roleArn} does not exist.`,
        }),
      },
    ]);
    expect(
      (await allOrphans(withoutEntity, 'roles')).map(o => o.roleArn),
    ).not.toContain(roleArn);
  });

  it('sorts and filters by status, and exports the rows the filters match', async () => {
    const { server, namespace, entityRef, roleArn } = await sandboxBinding(
      'ovsort',
      config,
    );
    const get = (path: string, query: Record<string, string>) =>
      request(server)
        .get(`/api/irsa${path}`)
        .query(query)
        .set('Authorization', mockCredentials.user.header());

    const trusted = await get('/overview', {
      namespace,
      status: 'trusted',
      sort: 'status',
      order: 'desc',
    });
    expect(trusted.status).toBe(200);
    expect(trusted.body).toMatchObject({
      total: 1,
      items: [{ serviceAccount: 'api', overall: 'trusted' }],
    });
    const broken = await get('/overview', {
      namespace,
      status: 'broken,unknown',
    });
    expect(broken.body).toMatchObject({ total: 0, items: [] });

    const csv = await get('/overview/export', { namespace, format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="irsa-overview.csv"',
    );
    expect(csv.text.split('\r\n')).toEqual([
      'cluster,namespace,serviceAccount,entityRef,roleArn,overall,problemCode,problemStatus,problemTitle,problemDetail',
      `sandbox,${namespace},api,${entityRef},${roleArn},trusted,,,,`,
      '',
    ]);
    const json = await get('/overview/export', { entityRef, format: 'json' });
    expect(json.body.items).toEqual([
      {
        cluster: 'sandbox',
        namespace,
        serviceAccount: 'api',
        entityRef,
        roleArn,
        overall: 'trusted',
      },
    ]);
  });
});
