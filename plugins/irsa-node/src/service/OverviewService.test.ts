import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { ClusterRegistry } from '../config';
import { ReadCache } from '../cache';
import type { ServiceAccountRecord } from '../kubernetes';
import type { RoleRecord } from '../aws';
import type { AwsGatewayFactory } from './gateways';
import { OverviewService } from './OverviewService';

const ACCOUNT = '111111111111';
const OTHER = '222222222222';
const ISSUER = 'https://oidc.example.com/id/ABC';

const registry = ClusterRegistry.fromConfig(
  new ConfigReader({
    irsa: {
      clusters: [
        {
          name: 'prod',
          accountId: ACCOUNT,
          region: 'eu-west-1',
          oidcIssuer: ISSUER,
          allowedAccountIds: [OTHER],
          kubernetes: { url: 'https://k8s.example.com' },
        },
      ],
      guardrails: { rolePath: '/irsa/', roleNamePrefix: 'irsa-' },
    },
  }),
);

const arn = (account: string, name: string) =>
  `arn:aws:iam::${account}:role/irsa/${name}`;

function sa(
  namespace: string,
  name: string,
  entity?: string,
  roleArn?: string,
): ServiceAccountRecord {
  return {
    namespace,
    name,
    labels: { 'app.kubernetes.io/managed-by': 'backstage-irsa' },
    annotations: {
      ...(entity ? { 'irsa.backstage.io/entity-ref': entity } : {}),
      ...(roleArn ? { 'eks.amazonaws.com/role-arn': roleArn } : {}),
    },
  };
}

function role(
  account: string,
  name: string,
  tags: Record<string, string>,
  sub?: string,
): RoleRecord {
  return {
    arn: arn(account, name),
    name,
    path: '/irsa/',
    tags,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: sub
        ? [
            {
              Effect: 'Allow',
              Principal: {
                Federated: `arn:aws:iam::${account}:oidc-provider/oidc.example.com/id/ABC`,
              },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  'oidc.example.com/id/ABC:sub': sub,
                  'oidc.example.com/id/ABC:aud': 'sts.amazonaws.com',
                },
              },
            },
          ]
        : [],
    },
  };
}

const ours = (entity: string) => ({
  'backstage-irsa:managed-by': 'backstage-irsa',
  'backstage-irsa:entity-ref': entity,
});

function setup(
  options: { cache?: boolean; listFails?: boolean; flaky?: boolean } = {},
) {
  const serviceAccounts = [
    sa(
      'payments',
      'api',
      'component:default/payments',
      arn(ACCOUNT, 'irsa-payments'),
    ),
    sa('batch', 'worker', 'component:default/batch'), // no role: broken (P3)
    sa(
      'ledger',
      'reader',
      'component:default/ledger',
      arn(ACCOUNT, 'irsa-ledger'),
    ), // role gone
    sa('audit', 'job', undefined, arn(OTHER, 'irsa-audit')),
  ];
  if (options.flaky) {
    // Its role cannot be read: its status is unknown (P8).
    serviceAccounts.push(
      sa(
        'queue',
        'flaky',
        'component:default/queue',
        arn(ACCOUNT, 'irsa-flaky'),
      ),
    );
  }
  const roles = new Map<string, RoleRecord>([
    [
      `${ACCOUNT}/irsa-payments`,
      role(
        ACCOUNT,
        'irsa-payments',
        ours('component:default/payments'),
        'system:serviceaccount:payments:api',
      ),
    ],
    [
      `${OTHER}/irsa-audit`,
      role(OTHER, 'irsa-audit', ours('component:default/audit')),
    ],
    // The entity left the catalog; its ServiceAccount is found from the trust.
    [
      `${ACCOUNT}/irsa-old`,
      role(
        ACCOUNT,
        'irsa-old',
        ours('component:default/old'),
        'system:serviceaccount:legacy:old',
      ),
    ],
    // In the path but someone else's.
    [`${ACCOUNT}/irsa-foreign`, role(ACCOUNT, 'irsa-foreign', {})],
  ]);
  const calls = { pods: 0, getRole: 0, listRoles: 0, listSa: 0 };
  const k8s = {
    listServiceAccountsByLabels: async () => {
      calls.listSa++;
      return serviceAccounts;
    },
    listPodsOf: async () => {
      calls.pods++;
      return [];
    },
  };
  const aws = {
    iam: async (account: string) => ({
      getRole: async (name: string) => {
        calls.getRole++;
        if (name === 'irsa-flaky') throw new Error('Throttling: Rate exceeded');
        return roles.get(`${account}/${name}`);
      },
      listRoles: async (prefix: string) => {
        calls.listRoles++;
        if (options.listFails && account === OTHER) {
          throw new Error('AccessDenied: iam:ListRoles');
        }
        return [...roles.values()]
          .filter(
            r => r.arn.includes(`::${account}:`) && r.path.startsWith(prefix),
          )
          .map(r => ({ arn: r.arn, name: r.name, path: r.path }));
      },
      getOidcProvider: async () => ({
        arn: 'x',
        url: 'oidc.example.com/id/ABC',
        clientIds: ['sts.amazonaws.com'],
        tags: {},
      }),
    }),
    eks: async () => ({}),
  } as unknown as AwsGatewayFactory;
  const cache = options.cache
    ? new ReadCache(
        CacheManager.fromConfig(new ConfigReader({})).forPlugin('irsa'),
        { readTtlMs: 60_000, statusTtlMs: 60_000 },
      )
    : ReadCache.none();
  const service = new OverviewService(registry, aws, () => k8s as any, cache, {
    // No network in unit tests: issuer discovery fails at once.
    lookup: async () => {
      throw new Error('no DNS here');
    },
  });
  return { service, calls, roles };
}

const names = (items: Array<{ serviceAccount: string }>) =>
  items.map(i => i.serviceAccount);

describe('OverviewService.list', () => {
  it('checks only the rows of the page when neither sorting nor filtering by status', async () => {
    const { service, calls } = setup();
    const page = await service.list({ page: 1, pageSize: 2 });
    expect(page.total).toBe(4);
    expect(names(page.items)).toEqual(['job', 'worker']); // audit, batch
    // worker has no role annotation: its checks stop before the pods.
    expect(calls.pods).toBe(1);
  });

  it('sorts by name, entity and namespace, either way', async () => {
    const { service } = setup();
    const by = async (sort: any, order?: any) =>
      names((await service.list({ page: 1, pageSize: 10, sort, order })).items);
    expect(await by('name')).toEqual(['api', 'job', 'reader', 'worker']);
    expect(await by('name', 'desc')).toEqual([
      'worker',
      'reader',
      'job',
      'api',
    ]);
    // No entity comes last.
    expect(await by('entity')).toEqual(['worker', 'reader', 'api', 'job']);
    expect(await by('namespace', 'desc')).toEqual([
      'api',
      'reader',
      'worker',
      'job',
    ]);
  });

  it('filters and sorts by status over every matching row, and pages after', async () => {
    const { service, calls } = setup({ flaky: true });
    const unknown = await service.list({
      page: 1,
      pageSize: 1,
      status: ['unknown'],
    });
    expect(unknown.total).toBe(1);
    expect(unknown.items).toEqual([
      expect.objectContaining({
        serviceAccount: 'flaky',
        overall: 'unknown',
        problem: expect.objectContaining({ code: 'P8' }),
      }),
    ]);
    // Every row was checked to know its status (worker's checks end before its pods).
    expect(calls.pods).toBe(4);

    const broken = await service.list({
      page: 2,
      pageSize: 3,
      status: ['broken', 'unknown'],
    });
    expect(broken.total).toBe(5);
    expect(names(broken.items)).toEqual(['api', 'flaky']);
    const bestFirst = await service.list({
      page: 1,
      pageSize: 10,
      sort: 'status',
    });
    expect(names(bestFirst.items)[0]).toBe('flaky');
    const worstFirst = await service.list({
      page: 1,
      pageSize: 10,
      sort: 'status',
      order: 'desc',
    });
    expect(worstFirst.items.map(i => i.overall)).toEqual([
      'broken',
      'broken',
      'broken',
      'broken',
      'unknown',
    ]);
    // Ties keep cluster, namespace and name order, whichever way the status goes.
    expect(names(worstFirst.items)).toEqual([
      'job',
      'worker',
      'reader',
      'api',
      'flaky',
    ]);

    // The other filters narrow first: only those rows are checked.
    calls.pods = 0;
    const one = await service.list({
      page: 1,
      pageSize: 10,
      namespace: 'payments',
      status: ['unknown'],
    });
    expect(one.total).toBe(0);
    expect(calls.pods).toBe(1);
  });

  it('exports every matching row, checked, in the order asked', async () => {
    const { service } = setup();
    const all = await service.listAll({
      sort: 'name',
      order: 'desc',
      entityRef: 'COMPONENT:default/payments',
    });
    expect(all.items).toEqual([
      expect.objectContaining({
        serviceAccount: 'api',
        entityRef: 'component:default/payments',
      }),
    ]);
    expect((await service.listAll({})).items).toHaveLength(4);
  });

  it('reuses checked rows and the inventory from the cache', async () => {
    const { service, calls } = setup({ cache: true });
    await service.list({ page: 1, pageSize: 10 });
    const pods = calls.pods;
    await service.listAll({ sort: 'status' });
    await service.list({ page: 1, pageSize: 10, status: ['broken'] });
    expect(calls.pods).toBe(pods);
    expect(calls.listSa).toBe(1);
    await service.list({ page: 1, pageSize: 10, fresh: true });
    expect(calls.listSa).toBe(2);
    expect(calls.pods).toBe(2 * pods);
  });
});

describe('OverviewService orphans', () => {
  it('lists managed roles whose entity the catalog does not have, with what they were made for', async () => {
    const { service } = setup();
    const asked: string[][] = [];
    const page = await service.orphanRoles(
      { page: 1, pageSize: 50 },
      async refs => {
        asked.push(refs);
        return new Set(['component:default/payments']);
      },
    );
    // Each entity once, in one batch; a role without our tags is never considered.
    expect(asked).toEqual([
      expect.arrayContaining([
        'component:default/payments',
        'component:default/old',
        'component:default/audit',
      ]),
    ]);
    expect(asked[0]).toHaveLength(3);
    expect(page).toEqual({
      items: [
        {
          accountId: ACCOUNT,
          roleArn: arn(ACCOUNT, 'irsa-old'),
          roleName: 'irsa-old',
          entityRef: 'component:default/old',
          cluster: 'prod',
          namespace: 'legacy',
          serviceAccount: 'old',
        },
        {
          accountId: OTHER,
          roleArn: arn(OTHER, 'irsa-audit'),
          roleName: 'irsa-audit',
          entityRef: 'component:default/audit',
          // From the ServiceAccount annotated with it.
          cluster: 'prod',
          namespace: 'audit',
          serviceAccount: 'job',
        },
      ],
      total: 2,
      page: 1,
      pageSize: 50,
      checks: [],
    });
  });

  it('says which account could not be listed instead of reporting none', async () => {
    const { service } = setup({ listFails: true });
    const page = await service.orphanRoles(
      { page: 1, pageSize: 50 },
      async () => new Set(),
    );
    expect(page.items.map(i => i.roleName)).toEqual([
      'irsa-old',
      'irsa-payments',
    ]);
    expect(page.checks).toEqual([
      expect.objectContaining({
        code: 'P8',
        status: 'unknown',
        detail: expect.stringContaining(
          `in account ${OTHER}: AccessDenied: iam:ListRoles`,
        ),
      }),
    ]);
  });

  it('keeps no answer that could not read everything: the next request lists again', async () => {
    const { service, calls } = setup({ cache: true, listFails: true });
    await service.orphanRoles({ page: 1, pageSize: 50 }, async () => new Set());
    await service.orphanRoles({ page: 1, pageSize: 50 }, async () => new Set());
    // Computed again (these gateways have no read cache of their own): 2 accounts twice.
    expect(calls.listRoles).toBe(4);
  });

  it('lists ServiceAccounts whose role is gone (P4), and costs nothing more warm', async () => {
    const { service, calls } = setup({ cache: true });
    const gone = await service.roleGone({ page: 1, pageSize: 50 });
    expect(gone).toEqual({
      items: [
        {
          cluster: 'prod',
          namespace: 'ledger',
          serviceAccount: 'reader',
          entityRef: 'component:default/ledger',
          roleArn: arn(ACCOUNT, 'irsa-ledger'),
          check: expect.objectContaining({
            code: 'P4',
            status: 'fail',
            detail: `Role ${arn(ACCOUNT, 'irsa-ledger')} does not exist.`,
          }),
        },
      ],
      total: 1,
      page: 1,
      pageSize: 50,
      checks: [],
    });
    await service.orphanRoles({ page: 1, pageSize: 50 }, async () => new Set());
    const cold = { ...calls };
    await service.roleGone({ page: 1, pageSize: 50 });
    await service.orphanRoles({ page: 2, pageSize: 1 }, async () => new Set());
    expect(calls).toEqual(cold);
    expect(cold.listRoles).toBe(2); // one per account
  });
});
