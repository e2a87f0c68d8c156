// The platform overview (/irsa) in headless Chromium against the real backend and the
// sandbox: the sidebar's "AWS access" → every binding with owner, role and status → a
// namespace filter → a sort → the CSV export (its content checked) → an entity removed from
// the catalog, its role listed as an orphan with a prefilled "Remove AWS access" link → the
// role deleted, its ServiceAccount listed as "role gone". The entity is in the catalog only
// through a location this test registers (a file in /tmp), so removing it is what a team
// unregistering a service does (the catalog reads it by URL from this test's backend).
// Its own backend on port 7210. Screenshots go to
// test-results/overview-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { launchChromium } from './browser.mjs';
import { guestToken, startBackend, waitForOk } from './backend.mjs';
import { iamIn, kube } from './sandboxClients.mjs';

const PORT = '7210';
// The page must share the backend's origin as the config names it (localhost).
const APP_URL = `http://localhost:${PORT}`;
const BACKEND_URL = `http://127.0.0.1:${PORT}`;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const results = resolve(root, 'test-results');
mkdirSync(results, { recursive: true });

const env = process.env;
const ACCOUNT = env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID;
// A team-payments service that exists only through the location this test registers.
const SERVICE = 'overview-leftover';
const ENTITY_REF = `component:default/${SERVICE}`;
const NAMESPACE = 'payments';
const ROLE_NAME = `irsa-${SERVICE}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/irsa/${ROLE_NAME}`;

// The backend serves the built app's folder (packages/app/dist) at its root; a link there to
// the test's file in /tmp gives the catalog a URL to read it from, on the backend's own port.
const SERVED = resolve(
  root,
  `packages/app/dist/irsa-overview-smoke-${process.pid}.yaml`,
);

const shot = (page, name) =>
  page.screenshot({ path: resolve(results, `${name}.png`), fullPage: true });

async function signIn(browser) {
  const page = await browser.newPage({
    viewport: { width: 1600, height: 1000 },
    acceptDownloads: true,
  });
  await page.goto(`${APP_URL}/`);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('button', { name: 'Enter' })
    .waitFor({ state: 'detached', timeout: 60_000 });
  return page;
}

/** Runs `body` with a signed-in page; on failure keeps what the browser showed. */
async function withPage(name, body) {
  const browser = await launchChromium();
  let page;
  try {
    page = await signIn(browser);
    await body(page);
  } catch (e) {
    await page?.screenshot({ path: resolve(results, `${name}-failure.png`) });
    throw e;
  } finally {
    await browser.close();
  }
}

/** Deletes the test's role (its policies first), if it exists. */
async function deleteRole() {
  const iam = await iamIn(ACCOUNT);
  try {
    await iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }));
  } catch (e) {
    if (e.name === 'NoSuchEntityException') return;
    throw e;
  }
  const { PolicyNames } = await iam.send(
    new ListRolePoliciesCommand({ RoleName: ROLE_NAME }),
  );
  for (const PolicyName of PolicyNames) {
    await iam.send(
      new DeleteRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName }),
    );
  }
  const { AttachedPolicies } = await iam.send(
    new ListAttachedRolePoliciesCommand({ RoleName: ROLE_NAME }),
  );
  for (const { PolicyArn } of AttachedPolicies) {
    await iam.send(
      new DetachRolePolicyCommand({ RoleName: ROLE_NAME, PolicyArn }),
    );
  }
  await iam.send(new DeleteRoleCommand({ RoleName: ROLE_NAME }));
}

async function deleteServiceAccount() {
  const sa = await kube(
    'DELETE',
    `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/${SERVICE}`,
  );
  assert.ok(
    [200, 404].includes(sa.status),
    `delete ServiceAccount: ${sa.status}`,
  );
}

/** Calls the backend's API as the guest; resolves { status, body }. */
async function api(auth, method, path, body) {
  const res = await fetch(`${BACKEND_URL}${path}`, {
    method,
    headers: auth,
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** Runs "Request AWS access" for the service through the scaffolder API, to the end. */
async function requestAccess(auth) {
  const created = await api(auth, 'POST', '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/request-aws-access',
    values: {
      entity: ENTITY_REF,
      cluster: 'sandbox',
      namespace: NAMESPACE,
      serviceAccount: SERVICE,
      roleName: SERVICE,
      policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  for (let i = 0; i < 240; i++) {
    const task = await api(
      auth,
      'GET',
      `/api/scaffolder/v2/tasks/${created.body.id}`,
    );
    if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
      assert.equal(task.body.status, 'completed', JSON.stringify(task.body));
      return;
    }
    await sleep(500);
  }
  throw new Error('the template did not finish');
}

/** The first column's texts of the bindings table, top to bottom. */
async function serviceAccountColumn(page) {
  return page.locator('tbody tr td:nth-child(2)').allInnerTexts();
}

describe('the platform overview (Chromium)', () => {
  let backend;
  let auth;
  let locationId;

  before(async () => {
    backend = await startBackend({
      root,
      logFile: resolve(results, 'overview-backend.log'),
      extraEnv: {
        APP_CONFIG_backend_listen_port: PORT,
        APP_CONFIG_backend_baseUrl: APP_URL,
        APP_CONFIG_app_baseUrl: APP_URL,
        // The catalog registers only `url` locations through its API: this backend may
        // read its own origin, where the test's file is served (see `served` below).
        APP_CONFIG_backend_reading_allow: JSON.stringify([
          { host: `localhost:${PORT}` },
        ]),
      },
    });
    await waitForOk(`${BACKEND_URL}/api/irsa/health`, backend);
    const ns = await kube('POST', '/api/v1/namespaces', {
      metadata: { name: NAMESPACE },
    });
    assert.ok([201, 409].includes(ns.status), `namespace: ${ns.status}`);
    // A run against a sandbox still up from an earlier run starts clean.
    await deleteServiceAccount();
    await deleteRole();

    auth = {
      authorization: `Bearer ${await guestToken(BACKEND_URL)}`,
      'content-type': 'application/json',
    };
    // The service, in the catalog through a location of its own.
    const dir = mkdtempSync(join(tmpdir(), 'irsa-overview-'));
    const file = join(dir, 'catalog-info.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${SERVICE}`,
        '  annotations:',
        `    backstage.io/kubernetes-namespace: ${NAMESPACE}`,
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: team-payments',
        '',
      ].join('\n'),
    );
    symlinkSync(file, SERVED);
    const location = await api(auth, 'POST', '/api/catalog/locations', {
      type: 'url',
      target: `${APP_URL}/${SERVED.split('/').pop()}`,
    });
    assert.equal(location.status, 201, JSON.stringify(location.body));
    locationId = location.body.location.id;
    for (let i = 0; ; i++) {
      const found = await api(
        auth,
        'GET',
        `/api/catalog/entities/by-name/component/default/${SERVICE}`,
      );
      if (found.status === 200) break;
      assert.ok(i < 120, 'the catalog never listed the service');
      await sleep(500);
    }
    await requestAccess(auth);
  });

  after(async () => {
    rmSync(SERVED, { force: true });
    await deleteServiceAccount().catch(() => {});
    await deleteRole().catch(() => {});
    await backend?.stop();
  });

  it('lists every binding, filters by namespace, sorts, and exports the CSV', async () => {
    await withPage('overview', async page => {
      // The sidebar lists the page (the new frontend system's nav from the page's title).
      await page.getByRole('link', { name: 'AWS access' }).click();
      await page.waitForURL(`${APP_URL}/irsa`);
      // Every binding of the sandbox, many suites' (a page of them).
      await page
        .getByRole('cell', { name: /\// })
        .first()
        .waitFor({ timeout: 60_000 });
      await shot(page, 'overview-1-bindings');

      // Only the namespace's ServiceAccounts, asked of the backend.
      const filtered = page.waitForRequest(
        r =>
          /\/api\/irsa\/overview\?/.test(r.url()) &&
          r.url().includes(`namespace=${NAMESPACE}`),
      );
      await page.getByRole('textbox', { name: 'Namespace' }).fill(NAMESPACE);
      await page.getByRole('textbox', { name: 'Namespace' }).press('Enter');
      await filtered;
      await page
        .getByRole('cell', { name: `${NAMESPACE}/${SERVICE}` })
        .waitFor({ timeout: 60_000 });
      const row = page
        .getByRole('row')
        .filter({ hasText: `${NAMESPACE}/${SERVICE}` });
      await row.getByText(ROLE_ARN).waitFor();
      await row.getByRole('link', { name: SERVICE }).waitFor();
      await row.getByText('Trusted').waitFor();
      const names = await serviceAccountColumn(page);
      assert.ok(names.length >= 1);
      for (const n of names) assert.ok(n.startsWith(`${NAMESPACE}/`), n);
      await shot(page, 'overview-2-filtered');

      // Sorted by the backend: namespace and name, then the other way. One namespace: the
      // order is the names', as the backend compares them.
      const byName = [...names].sort((a, b) => a.localeCompare(b, 'en-US'));
      const shows = async expected => {
        let shown;
        for (let i = 0; i < 100; i++) {
          shown = await serviceAccountColumn(page);
          if (shown.join() === expected.join()) return shown;
          await sleep(100);
        }
        assert.deepEqual(shown, expected);
        return shown;
      };
      const header = page
        .getByRole('columnheader', { name: 'Namespace / ServiceAccount' })
        .getByText('Namespace / ServiceAccount');
      const ascending = page.waitForResponse(
        r =>
          r.url().includes('sort=namespace') && r.url().includes('order=asc'),
      );
      await header.click();
      await ascending;
      await shows(byName);
      const descending = page.waitForResponse(
        r =>
          r.url().includes('sort=namespace') && r.url().includes('order=desc'),
      );
      await header.click();
      await descending;
      const sorted = await shows([...byName].reverse());
      await shot(page, 'overview-3-sorted');

      // The export: the same rows, in the same order, as a CSV file.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'irsa-overview.csv');
      const csv = readFileSync(await download.path(), 'utf8');
      writeFileSync(resolve(results, 'overview-export.csv'), csv);
      const lines = csv.split('\r\n').filter(Boolean);
      assert.equal(
        lines[0],
        'cluster,namespace,serviceAccount,entityRef,roleArn,overall,problemCode,problemStatus,problemTitle,problemDetail',
      );
      assert.deepEqual(
        lines.slice(1).map(l => l.split(',').slice(1, 3).join('/')),
        sorted,
      );
      assert.ok(
        lines.includes(
          `sandbox,${NAMESPACE},${SERVICE},${ENTITY_REF},${ROLE_ARN},trusted,,,,`,
        ),
        csv,
      );
    });
  });

  it('lists the role as an orphan once its entity is gone, then the ServiceAccount whose role is gone, and retires it', async () => {
    // Unregistered, as the catalog's "Unregister entity" does: the location, then the
    // entity it left behind.
    const entity = await api(
      auth,
      'GET',
      `/api/catalog/entities/by-name/component/default/${SERVICE}`,
    );
    assert.equal(entity.status, 200);
    const removed = await api(
      auth,
      'DELETE',
      `/api/catalog/locations/${locationId}`,
    );
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    const deleted = await api(
      auth,
      'DELETE',
      `/api/catalog/entities/by-uid/${entity.body.metadata.uid}`,
    );
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    assert.equal(
      (
        await api(
          auth,
          'GET',
          `/api/catalog/entities/by-name/component/default/${SERVICE}`,
        )
      ).status,
      404,
    );

    await withPage('overview-orphans', async page => {
      await page.goto(`${APP_URL}/irsa`);
      await page.getByRole('tab', { name: 'Orphans' }).click();
      // Other suites leave many orphans in the shared sandbox: this namespace's only.
      await page.getByRole('textbox', { name: 'Namespace' }).fill(NAMESPACE);
      await page.getByRole('textbox', { name: 'Namespace' }).press('Enter');
      const orphan = page.getByRole('row').filter({ hasText: ROLE_ARN });
      await orphan.waitFor({ timeout: 60_000 });
      await orphan.getByText(ENTITY_REF).waitFor();
      await orphan.getByText(`sandbox · ${NAMESPACE}/${SERVICE}`).waitFor();
      const href = await orphan
        .getByRole('button', { name: 'Remove AWS access' })
        .getAttribute('href');
      const [path, query] = href.split('?');
      assert.equal(path, '/create/templates/default/remove-aws-access');
      assert.deepEqual(JSON.parse(new URLSearchParams(query).get('formData')), {
        entity: ENTITY_REF,
        cluster: 'sandbox',
        namespace: NAMESPACE,
        serviceAccount: SERVICE,
        roleArn: ROLE_ARN,
      });
      await orphan.scrollIntoViewIfNeeded();
      await shot(page, 'overview-4-orphan-role');

      // The role deleted behind the product's back: Refresh reads IAM anew.
      await deleteRole();
      await page.getByRole('button', { name: 'Refresh' }).click();
      const gone = page
        .getByRole('row')
        .filter({ hasText: `${NAMESPACE}/${SERVICE}` })
        .filter({ hasText: 'P4' });
      await gone.waitFor({ timeout: 60_000 });
      await gone.getByText(ROLE_ARN).waitFor();
      // Both tables loaded again (material-table's loading overlay gone).
      await page
        .getByRole('progressbar')
        .first()
        .waitFor({ state: 'detached', timeout: 60_000 });
      assert.equal(
        await page.getByRole('row').filter({ hasText: ROLE_ARN }).count(),
        1,
        'the deleted role is no longer an orphan, only its ServiceAccount is left',
      );
      // The app scrolls inside its main area, so a full-page shot stops at the viewport.
      await gone.scrollIntoViewIfNeeded();
      await shot(page, 'overview-5-role-gone');

      // Retired from the overview: its "Remove AWS access" opens the template prefilled for
      // an entity that is no longer in the catalog; the task deletes the ServiceAccount
      // backstage-irsa made (the role is already gone), and the row leaves the overview.
      await gone.getByRole('button', { name: 'Remove AWS access' }).click();
      await page.waitForURL(/\/create\/templates\/default\/remove-aws-access/);
      await page
        .getByRole('textbox', { name: /^ServiceAccount/ })
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await page
          .getByRole('textbox', { name: /^ServiceAccount/ })
          .inputValue(),
        SERVICE,
      );
      assert.equal(
        await page.getByRole('textbox', { name: /^Namespace/ }).inputValue(),
        NAMESPACE,
      );
      await shot(page, 'overview-6-remove-form');
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByText('AWS access removed').waitFor({ timeout: 120_000 });
      await shot(page, 'overview-7-removed');
      const sa = await kube(
        'GET',
        `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/${SERVICE}`,
      );
      assert.equal(sa.status, 404, 'the ServiceAccount was deleted');

      await page.goto(`${APP_URL}/irsa`);
      await page.getByRole('tab', { name: 'Orphans' }).click();
      await page.getByRole('textbox', { name: 'Namespace' }).fill(NAMESPACE);
      await page.getByRole('textbox', { name: 'Namespace' }).press('Enter');
      await page
        .getByRole('progressbar')
        .first()
        .waitFor({ state: 'detached', timeout: 60_000 });
      await page.getByText('No ServiceAccount has lost its role.').waitFor({
        timeout: 60_000,
      });
      assert.equal(
        await page.getByRole('row').filter({ hasText: ROLE_ARN }).count(),
        0,
      );
    });
  });
});
