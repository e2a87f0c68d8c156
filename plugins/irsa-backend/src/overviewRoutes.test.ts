import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createCheckResult,
  type OverviewItem,
} from '@backstage-irsa/plugin-irsa-common';
import {
  type IrsaService,
  irsaServiceRef,
} from '@backstage-irsa/plugin-irsa-node';
import request from 'supertest';
import { irsaPlugin } from './plugin';

// The overview's routes around a fake overview service: what they pass on, what they
// answer (export files, orphans judged against the catalog), and who they refuse.

const irsaConfig = {
  irsa: {
    clusters: [
      {
        name: 'prod',
        accountId: '111111111111',
        region: 'eu-west-1',
        eksClusterName: 'prod',
        kubernetes: { url: 'https://k8s.example.com' },
      },
    ],
  },
};

const items: OverviewItem[] = [
  {
    cluster: 'prod',
    namespace: 'payments',
    serviceAccount: 'api',
    entityRef: 'component:default/payments-api',
    roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-payments-api',
    overall: 'broken',
    problem: createCheckResult('F3', 'fail', '=cmd|calc, "quoted"'),
  },
];

function fakeOverview() {
  return {
    list: jest.fn(async (q: any) => ({
      items,
      total: 1,
      page: q.page,
      pageSize: q.pageSize,
      checks: [],
    })),
    listAll: jest.fn(async () => ({ items, checks: [] })),
    orphanRoles: jest.fn(
      async (q: any, found: (refs: string[]) => Promise<Set<string>>) => ({
        items: [
          ...(await found([
            'component:default/payments-api',
            'component:default/gone',
            'not a ref',
          ])),
        ],
        total: 0,
        page: q.page,
        pageSize: q.pageSize,
        checks: [],
      }),
    ),
    roleGone: jest.fn(async (q: any) => ({
      items: [],
      total: 0,
      page: q.page,
      pageSize: q.pageSize,
      checks: [],
    })),
  };
}

async function start(
  options: {
    result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    auditor?: any;
    catalog?: any;
    overview?: ReturnType<typeof fakeOverview>;
  } = {},
) {
  const overview = options.overview ?? fakeOverview();
  const { server } = await startTestBackend({
    features: [
      irsaPlugin,
      mockServices.rootConfig.factory({ data: irsaConfig }),
      options.catalog?.factory ??
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'payments-api', namespace: 'default' },
              spec: {},
            },
          ],
        }),
      createServiceFactory({
        service: irsaServiceRef,
        deps: {},
        factory: () => ({ overview } as unknown as IrsaService),
      }),
      ...(options.result
        ? [mockServices.permissions.factory({ result: options.result })]
        : []),
      ...(options.auditor ? [options.auditor.factory] : []),
    ],
  });
  const get = (path: string, query: Record<string, string> = {}) =>
    request(server)
      .get(`/api/irsa${path}`)
      .query(query)
      .set('Authorization', mockCredentials.user.header());
  return { get, overview };
}

describe('the overview routes', () => {
  it('passes filters, status and order on to the overview', async () => {
    const { get, overview } = await start();
    const res = await get('/overview', {
      namespace: 'payments',
      status: 'broken,unknown,broken',
      sort: 'status',
      order: 'desc',
      pageSize: '20',
    });
    expect(res.status).toBe(200);
    expect(overview.list).toHaveBeenCalledWith({
      page: 1,
      pageSize: 20,
      cluster: undefined,
      namespace: 'payments',
      entityRef: undefined,
      status: ['broken', 'unknown'],
      sort: 'status',
      order: 'desc',
      fresh: false,
    });
  });

  it('refuses bad filters, orders, kinds and formats, naming the field', async () => {
    const { get } = await start();
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['/overview', { status: 'broken,sad' }, /status: "sad" is not a status/],
      ['/overview', { sort: 'role' }, /sort: /],
      ['/overview', { order: 'up' }, /order: /],
      ['/overview/export', { format: 'xlsx' }, /format: /],
      ['/overview/orphans', {}, /kind: is required/],
      [
        '/overview/orphans',
        { kind: 'users' },
        /kind: .*'roles' \| 'serviceAccounts'/,
      ],
      ['/overview/orphans', { kind: 'roles', pageSize: '500' }, /pageSize/],
    ];
    for (const [path, query, message] of cases) {
      const res = await get(path, query);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('exports CSV as a file, formulas defused, and audits it', async () => {
    const auditor = mockServices.auditor.mock();
    const { get, overview } = await start({ auditor });
    const res = await get('/overview/export', {
      cluster: 'prod',
      sort: 'name',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="irsa-overview.csv"',
    );
    const [header, row] = res.text.split('\r\n');
    expect(header).toMatch(
      /^cluster,namespace,serviceAccount,entityRef,roleArn,overall,/,
    );
    expect(row).toMatch(/,"'=cmd\|calc, ""quoted"""$/);
    expect(overview.listAll).toHaveBeenCalledWith(
      expect.objectContaining({ cluster: 'prod', sort: 'name', fresh: false }),
    );
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'overview-export',
        meta: expect.objectContaining({ format: 'csv', cluster: 'prod' }),
      }),
    );
  });

  it('exports JSON with every row and the inventory checks', async () => {
    const { get } = await start();
    const res = await get('/overview/export', { format: 'json' });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="irsa-overview.json"',
    );
    expect(res.body).toEqual({
      generatedAt: expect.any(String),
      items,
      checks: [],
    });
  });

  it("judges orphans' entities against the catalog, as the reader sees it", async () => {
    const { get, overview } = await start();
    const roles = await get('/overview/orphans', { kind: 'roles' });
    expect(roles.status).toBe(200);
    // The fake answers with the refs the catalog has: the one entity it holds.
    expect(roles.body.items).toEqual(['component:default/payments-api']);
    const gone = await get('/overview/orphans', {
      kind: 'serviceAccounts',
      page: '2',
      fresh: 'true',
    });
    expect(gone.status).toBe(200);
    expect(overview.roleGone).toHaveBeenCalledWith({
      page: 2,
      pageSize: 50,
      fresh: true,
    });
  });

  it("asks the catalog in batches of 500, with the reader's credentials", async () => {
    const refs = Array.from(
      { length: 1001 },
      (_, i) => `component:default/c-${i}`,
    );
    const catalog = catalogServiceMock.mock({
      getEntitiesByRefs: jest.fn(async ({ entityRefs }: any) => ({
        // Every other entity exists.
        items: entityRefs.map((r: string) =>
          Number(r.split('-').pop()) % 2 === 0
            ? { kind: 'Component' }
            : undefined,
        ),
      })) as any,
    });
    const overview = fakeOverview();
    let found: Set<string> | undefined;
    overview.orphanRoles.mockImplementation(async (q: any, f: any) => {
      found = await f(refs);
      return {
        items: [],
        total: 0,
        page: q.page,
        pageSize: q.pageSize,
        checks: [],
      };
    });
    const { get } = await start({ catalog, overview });
    expect((await get('/overview/orphans', { kind: 'roles' })).status).toBe(
      200,
    );
    const calls = (catalog.getEntitiesByRefs as jest.Mock).mock.calls;
    expect(calls.map(c => c[0].entityRefs.length)).toEqual([500, 500, 1]);
    expect(calls[0][1]).toEqual({
      credentials: expect.objectContaining({
        principal: expect.objectContaining({
          userEntityRef: 'user:default/mock',
        }),
      }),
    });
    expect(found?.size).toBe(501);
    expect(found?.has('component:default/c-1000')).toBe(true);
  });

  it('answers 403 on every overview route without irsa.overview.read', async () => {
    const { get, overview } = await start({ result: AuthorizeResult.DENY });
    for (const [path, query] of [
      ['/overview', {}],
      ['/overview/export', { format: 'csv' }],
      ['/overview/orphans', { kind: 'roles' }],
      ['/overview/orphans', { kind: 'serviceAccounts' }],
    ] as const) {
      const res = await get(path, query);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('irsa.overview.read');
    }
    expect(overview.list).not.toHaveBeenCalled();
    expect(overview.listAll).not.toHaveBeenCalled();
    expect(overview.orphanRoles).not.toHaveBeenCalled();
    expect(overview.roleGone).not.toHaveBeenCalled();
  });
});
