import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  guestTokenWhenCatalogHas,
  startBackendProcess,
  type BackendProcess,
} from '../backendProcess';
import {
  awsTokenUses,
  awsWrites,
  k8sWrites,
  peerRequests,
  tokenRequests,
  BACKSTAGE_K8S_USER,
} from '../peerRequestLog';
import { findSecrets } from '../leakScan';
import { describeSandbox, sandboxEnv } from '../sandboxEnv';
import { HTTP_CASES, TASK_CASES } from './badInputCorpus';
import { writeReliabilityBlock } from '../reliabilityReport';
import { snapshotPeers } from './peersSnapshot';
import { buildTakeoverWorld, removeClusterProvider } from './takeoverWorld';

// The takeover suite: the real backend (NODE_ENV=production, the demo's permission policy,
// the real catalog and scaffolder) is attacked as the signed-in guest, a member of
// team-payments, through the same HTTP API the app uses. Every attack must be refused with
// a clear message, leave the peers byte-for-byte as they were, and reach neither peer with
// a write or a TokenRequest — counted from the peers' own logs (kube-apiserver audit log,
// moto's request log). It runs alone (scripts/test runs it after the other Jest suites), so
// everything in those logs during an attack is the attack's doing.

jest.setTimeout(600_000);

const results = resolve(__dirname, '../../../../test-results');
mkdirSync(results, { recursive: true });

let backend: BackendProcess;
let token: string;
let world: Awaited<ReturnType<typeof buildTakeoverWorld>>;
/** Everything a user was shown, for the leak scan at the end. */
const shown: string[] = [];
/** The bad-input corpus's tally, written to docs/reliability.md at the end. */
const corpus = { refused: 0, peerRequests: 0, longestMessage: 0 };

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${backend.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  shown.push(text);
  return {
    status: res.status,
    text,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** Runs "Request AWS access" as the guest, with the form's defaults. */
async function requestAccess(values: Record<string, unknown>) {
  return runTask('template:default/request-aws-access', {
    cluster: 'sandbox',
    policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    ...values,
  });
}

/** Runs a template as the guest; the task's final status and its whole log. */
async function runTask(templateRef: string, values: Record<string, unknown>) {
  const created = await api('POST', '/api/scaffolder/v2/tasks', {
    templateRef,
    values,
  });
  if (created.status !== 201) {
    return { status: `refused-${created.status}`, log: created.text };
  }
  const { id } = created.body;
  let task: any;
  for (let i = 0; i < 600; i++) {
    task = (await api('GET', `/api/scaffolder/v2/tasks/${id}`)).body;
    if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
    await new Promise(r => setTimeout(r, 250));
  }
  const events = (await api('GET', `/api/scaffolder/v2/tasks/${id}/events`))
    .body;
  const log = events.map((e: any) => e.body?.message ?? '').join('\n');
  return { status: task.status as string, log };
}

/** Runs `attack` and checks the peers saw nothing of it: no write, no token, no change. */
async function expectNothingReachedPeers(attack: () => Promise<void>) {
  const before = await snapshotPeers(
    world.account,
    [...world.watched.roles, `irsa-tko-new-${world.id}`],
    world.watched.serviceAccounts,
  );
  const mark = await peerRequests.mark();
  await attack();
  const seen = await peerRequests.since(mark);
  expect({
    awsWrites: awsWrites(seen.aws),
    awsTokenUses: awsTokenUses(seen.aws),
    k8sWrites: k8sWrites(seen.k8s),
    tokenRequests: tokenRequests(seen.k8s),
  }).toEqual({
    awsWrites: [],
    awsTokenUses: [],
    k8sWrites: [],
    tokenRequests: [],
  });
  const after = await snapshotPeers(
    world.account,
    [...world.watched.roles, `irsa-tko-new-${world.id}`],
    world.watched.serviceAccounts,
  );
  expect(after).toBe(before);
  return seen;
}

/** Production answers: the message, never a stack trace or a source path. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/"stack"/);
  expect(text).not.toMatch(/\.(ts|js|cjs|mjs):\d+/);
  expect(text).not.toContain(resolve(__dirname, '../../../..'));
}

describeSandbox(
  'takeover: refused requests for access the requester must not get',
  () => {
    beforeAll(async () => {
      world = await buildTakeoverWorld();
      // Without the cluster's OIDC provider, a request that wrote anything before being
      // refused would show as CreateOpenIDConnectProvider: the first write of the template.
      await removeClusterProvider();
      backend = await startBackendProcess({
        root: resolve(__dirname, '../../../..'),
        configs: [
          'packages/sandbox-test-utils/fixtures/takeover/app-config.yaml',
        ],
        env: { NODE_ENV: 'production' },
        logFile: resolve(results, 'takeover-backend.log'),
      });
      token = await guestTokenWhenCatalogHas(backend, [
        'user:default/guest',
        'component:default/takeover-sneaky',
      ]);
    });

    afterAll(async () => {
      await backend?.stop();
      await writeReliabilityBlock(
        resolve(__dirname, '../../../..'),
        'bad-input',
        `**${TASK_CASES.length + HTTP_CASES.length} inputs tried** (${
          TASK_CASES.length
        } through the template without a form schema, ${
          HTTP_CASES.length
        } to the HTTP API); **${corpus.refused} refused as required**; **${
          corpus.peerRequests
        } requests reached AWS or Kubernetes** while they were refused; the longest refusal message was ${
          corpus.longestMessage
        } characters.`,
      );
    });

    const mine = 'component:default/takeover-mine';
    const base = () => ({
      entity: mine,
      namespace: 'takeover-mine',
      serviceAccount: `new-sa-${world.id}`,
      roleName: `tko-new-${world.id}`,
    });

    const attacks: Array<[string, () => Record<string, unknown>, RegExp]> = [
      [
        "adds the requester's ServiceAccount to another entity's role",
        () => ({ ...base(), roleName: 'irsa-takeover-victim-api' }),
        /IAM role irsa-takeover-victim-api belongs to component:default\/takeover-victim, not component:default\/takeover-mine/,
      ],
      [
        'takes over a role backstage-irsa did not create, by its name',
        () => ({ ...base(), roleName: world.roles.foreign }),
        /already exists and backstage-irsa did not create it, so it will not change it/,
      ],
      [
        'takes over a managed role that has no entity tag',
        () => ({ ...base(), roleName: world.roles.untagged }),
        /has no backstage-irsa:entity-ref tag, so no entity can be shown to own it/,
      ],
      [
        'takes over a ServiceAccount backstage-irsa did not create, by its name',
        () => ({ ...base(), serviceAccount: world.serviceAccounts.handMade }),
        /exists and backstage-irsa did not create it, so it will not change it\. Fix: have its owner annotate it/,
      ],
      [
        'takes over a Helm-owned ServiceAccount',
        () => ({ ...base(), serviceAccount: world.serviceAccounts.helm }),
        /is managed by Helm \(release payments\), so backstage-irsa will not change it/,
      ],
      [
        "re-points another entity's ServiceAccount in the requester's namespace",
        () => ({ ...base(), serviceAccount: world.serviceAccounts.planted }),
        /belongs to component:default\/takeover-victim, not component:default\/takeover-mine/,
      ],
      [
        'binds a ServiceAccount in a namespace the entity may not use',
        () => ({ ...base(), namespace: 'takeover-victim' }),
        /component:default\/takeover-mine may not use namespace "takeover-victim": Namespace "takeover-victim" is not the entity's namespace/,
      ],
      [
        'requests access for an entity the user does not own',
        () => ({
          ...base(),
          entity: 'component:default/takeover-victim',
          namespace: 'takeover-victim',
        }),
        /user:default\/guest may not request AWS access for component:default\/takeover-victim \(permission irsa\.binding\.create\)/,
      ],
      [
        "creates the role in Backstage's own main account",
        () => ({ ...base(), accountId: sandboxEnv().backstageAccountId }),
        /Account 123456789012 is not an account of cluster "sandbox"/,
      ],
      [
        'binds a ServiceAccount in a denied namespace (kube-system)',
        () => ({
          ...base(),
          entity: 'component:default/takeover-sneaky',
          namespace: 'kube-system',
          serviceAccount: 'takeover-node',
        }),
        /Namespace "kube-system" may not receive AWS roles: it matches "kube-\*" in irsa\.guardrails\.deniedNamespaces/,
      ],
      [
        'names a Group as the entity',
        () => ({ ...base(), entity: 'group:default/team-platform' }),
        /only be requested for entities of kind component \(irsa\.entityKinds\), not "group"/,
      ],
      [
        'names an entity that does not exist',
        () => ({ ...base(), entity: 'component:default/does-not-exist' }),
        /No entity component:default\/does-not-exist in the catalog that you can see/,
      ],
      [
        'smuggles a path into the entity ref',
        () => ({
          ...base(),
          entity: 'component:default/../../group/team-platform',
        }),
        /The entity "component:default\/\.\.\/\.\.\/group\/team-platform" has more than one "\/"/,
      ],
    ];

    it.each(attacks)('refuses: %s', async (_, values, message) => {
      await expectNothingReachedPeers(async () => {
        const { status, log } = await requestAccess(values());
        expect({ status, log }).toMatchObject({
          status: 'failed',
          log: expect.stringMatching(message),
        });
        expectNoInternals(log);
      });
    });

    it('refuses a request without an entity before it starts', async () => {
      await expectNothingReachedPeers(async () => {
        const { status } = await requestAccess({ ...base(), entity: '' });
        expect(status).not.toBe('completed');
      });
    });

    it("refuses verify of another entity's ServiceAccount named in an annotation, minting no token", async () => {
      await expectNothingReachedPeers(async () => {
        for (const [namespace, serviceAccount] of [
          ['takeover-victim', 'victim-api'],
          ['kube-system', 'takeover-node'],
        ]) {
          const res = await api('POST', '/api/irsa/verify', {
            entityRef: 'component:default/takeover-sneaky',
            cluster: 'sandbox',
            namespace,
            serviceAccount,
          });
          expect(res.status).toBe(403);
          expect(res.body.error.message).toContain(
            `${namespace}/${serviceAccount} on cluster sandbox is not a ServiceAccount of component:default/takeover-sneaky`,
          );
          expectNoInternals(res.text);
        }
      });
    });

    it('refuses verify for an entity the user does not own, and status shows claims it does not honour', async () => {
      const seen = await expectNothingReachedPeers(async () => {
        const verify = await api('POST', '/api/irsa/verify', {
          entityRef: 'component:default/takeover-victim',
          cluster: 'sandbox',
          namespace: 'takeover-victim',
          serviceAccount: 'victim-api',
        });
        expect(verify.status).toBe(403);
        expect(verify.body.error).toEqual({
          name: 'NotAllowedError',
          message:
            'Not allowed to verify the AWS access of component:default/takeover-victim',
        });
        const status = await api(
          'GET',
          '/api/irsa/status?entityRef=component:default/takeover-sneaky',
        );
        expect(status.status).toBe(200);
        expect(status.body.bindings).toEqual([]);
        const p9 = status.body.checks.filter((c: any) => c.code === 'P9');
        expect(p9.map((c: any) => c.detail)).toEqual([
          expect.stringContaining(
            'kube-system/takeover-node on cluster sandbox is not checked',
          ),
          expect.stringContaining(
            'was created by backstage-irsa for component:default/takeover-victim',
          ),
        ]);
      });
      // The denied namespace was not even read.
      expect(
        seen.k8s.filter(
          r => r.user === BACKSTAGE_K8S_USER && r.namespace === 'kube-system',
        ),
      ).toEqual([]);
    });

    it('does not call STS for a ServiceAccount whose role ARN cannot work', async () => {
      await expectNothingReachedPeers(async () => {
        const res = await api('POST', '/api/irsa/verify', {
          entityRef: mine,
          cluster: 'sandbox',
          namespace: 'takeover-mine',
          serviceAccount: world.serviceAccounts.brokenArn,
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          ok: false,
          stsCalled: false,
          check: { code: 'F20', status: 'fail' },
        });
      });
    });

    it('answers 404 without internals for an entity that does not exist', async () => {
      const res = await api(
        'GET',
        '/api/irsa/status?entityRef=component:default/nope',
      );
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({
        name: 'NotFoundError',
        message: 'No entity component:default/nope in the catalog',
      });
      expectNoInternals(res.text);
    });

    it('dry-runs the whole template on a cluster without its OIDC provider: the full plan, no write', async () => {
      const template = (
        await api(
          'GET',
          '/api/catalog/entities/by-name/template/default/request-aws-access',
        )
      ).body;
      const values = {
        ...base(),
        cluster: 'sandbox',
        policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
      };
      const seen = await expectNothingReachedPeers(async () => {
        const res = await api('POST', '/api/scaffolder/v2/dry-run', {
          template,
          values,
          directoryContents: [],
        });
        expect(res.status).toBe(200);
        const log = res.body.log
          .map((e: any) => e.body?.message ?? '')
          .join('\n');
        const env = sandboxEnv();
        const hostPath = env.oidcIssuer
          .replace(/^https:\/\//, '')
          .replace(/\/$/, '');
        // All three steps planned, and the exact trust policy the role would get.
        expect(log).toContain(
          `1. IAM OIDC provider arn:aws:iam::${world.account}:oidc-provider/${hostPath} (account ${world.account}): missing`,
        );
        expect(log).toContain(
          `2. IAM role arn:aws:iam::${world.account}:role/irsa/irsa-${values.roleName}: missing; attach arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`,
        );
        expect(log).toContain(
          `3. ServiceAccount takeover-mine/${values.serviceAccount} on cluster sandbox: missing`,
        );
        expect(log).toContain(
          `"${hostPath}:sub": "system:serviceaccount:takeover-mine:${values.serviceAccount}"`,
        );
        expect(log).not.toMatch(/Error/);
        expect(res.body.output.text?.[0]?.content ?? '').toContain(
          `irsa-${values.roleName}`,
        );
      });
      // Reads only, and every step made them: IAM and Kubernetes were asked.
      expect(seen.aws.map(r => r.action)).toEqual(
        expect.arrayContaining(['GetOpenIDConnectProvider', 'GetRole']),
      );
    });

    it("grants the owner's own request, and the logs see its writes and token (control)", async () => {
      const mark = await peerRequests.mark();
      const sa = `good-${world.id}`;
      const { status, log } = await requestAccess({
        ...base(),
        serviceAccount: sa,
        roleName: `tko-good-${world.id}`,
      });
      expect({ status, log }).toMatchObject({ status: 'completed' });
      expect(log).toContain(
        `Request by user:default/guest for ${mine}, checked before any write`,
      );
      const verify = await api('POST', '/api/irsa/verify', {
        entityRef: mine,
        cluster: 'sandbox',
        namespace: 'takeover-mine',
        serviceAccount: sa,
      });
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({ ok: true, stsCalled: true });
      const seen = await peerRequests.since(mark);
      expect(awsWrites(seen.aws).map(r => r.action)).toEqual(
        expect.arrayContaining([
          'CreateOpenIDConnectProvider',
          'CreateRole',
          'AttachRolePolicy',
        ]),
      );
      expect(
        k8sWrites(seen.k8s).filter(
          r => r.resource === 'serviceaccounts' && !r.subresource,
        ),
      ).toHaveLength(1);
      // One token for the template's last step (aws:irsa:verify), one for the card's Verify.
      expect(tokenRequests(seen.k8s)).toHaveLength(2);
      expect(awsTokenUses(seen.aws)).toHaveLength(2);
    });

    /** Runs the template without a form schema; `undefined` values are left out. */
    async function requestBare(values: Record<string, unknown>) {
      const all: Record<string, unknown> = {
        entity: mine,
        cluster: 'sandbox',
        namespace: 'takeover-mine',
        serviceAccount: `bad-${world.id}`,
        roleName: `tko-bad-${world.id}`,
        policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
        ...values,
      };
      for (const key of Object.keys(all)) {
        if (all[key] === undefined) delete all[key];
      }
      return runTask('template:default/bare-request-aws-access', all);
    }

    /**
     * A refusal of bad input: its message names the field and stays short whatever was sent,
     * the answer shows no internals, and nothing reached either peer, not even a read.
     */
    async function expectInputRefused(
      field: string,
      send: () => Promise<{ message: string; text: string }>,
      internals: 'none' | 'scaffolder stack' = 'none',
    ) {
      const seen = await expectNothingReachedPeers(async () => {
        const { message, text } = await send();
        corpus.longestMessage = Math.max(corpus.longestMessage, message.length);
        expect(message).toContain(field);
        expect(message.length).toBeLessThan(4_000);
        if (internals === 'none') expectNoInternals(text);
        else
          expect(message).toMatch(
            /^InputError: Invalid input passed to action /,
          );
      });
      const reached = [
        ...seen.aws,
        ...seen.k8s.filter(r => r.user === BACKSTAGE_K8S_USER),
      ];
      corpus.peerRequests += reached.length;
      expect(reached).toEqual([]);
      corpus.refused += 1;
    }

    it.each(TASK_CASES.map(c => [c.name, c] as const))(
      'refuses bad input to the actions, with no form schema in front: %s',
      async (_, c) => {
        await expectInputRefused(
          c.field,
          async () => {
            const { status, log } = await requestBare(c.values);
            expect(status).toBe('failed');
            // The step's refusal: the line after "Beginning step ...".
            const lines = log.split('\n');
            const begun = lines.findIndex((l: string) =>
              l.startsWith('Beginning step'),
            );
            return { message: lines[begun + 1] ?? '', text: log };
          },
          c.by === 'scaffolder' ? 'scaffolder stack' : 'none',
        );
      },
    );

    it.each(HTTP_CASES.map(c => [c.name, c] as const))(
      'refuses bad input to the HTTP API: %s',
      async (_, c) => {
        await expectInputRefused(c.field, async () => {
          const res = await fetch(`${backend.baseUrl}${c.path}`, {
            method: c.method,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
            },
            body:
              c.raw ??
              (c.body === undefined ? undefined : JSON.stringify(c.body)),
          });
          const text = await res.text();
          shown.push(text);
          expect(res.status).toBe(c.status);
          return { message: JSON.parse(text).error.message as string, text };
        });
      },
    );

    it('leaks no token, key or session token into any log line, response, task log or audit event', async () => {
      const everything = [await backend.log(), ...shown].join('\n');
      // Audit events are in the backend's log: every verify and every write step.
      for (const event of [
        'irsa.verify',
        'scaffolder.oidc-provider-ensure',
        'scaffolder.role-ensure',
        'scaffolder.service-account-ensure',
      ]) {
        expect(everything).toContain(event);
      }
      expect(findSecrets(everything, [token])).toEqual([]);
    });
  },
);
