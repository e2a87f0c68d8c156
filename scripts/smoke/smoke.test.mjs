// Smoke tests against the real product: the backend booted with the repository's
// app-config.yaml (sandbox peers must be up and their env exported), and the built app
// served by that backend and loaded in headless Chromium. No mocks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.mjs';
import {
  BACKEND_URL,
  guestToken,
  startBackend,
  waitForOk,
} from './backend.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { iamIn, kube } from './sandboxClients.mjs';

// The page must share the backend's origin as app-config.yaml names it (localhost), or the
// browser's sign-in call becomes cross-origin and CORS refuses it.
const APP_URL = 'http://localhost:7007';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const results = resolve(root, 'test-results');
mkdirSync(results, { recursive: true });

const EXAMPLE_SERVICES = [
  'payments-api',
  'receipts-indexer',
  'settlement-worker',
  'status-page',
];
let refusedTaskId;

/** Runs "Request AWS access" through the scaffolder API; its id, final state and log. */
async function requestAccess(auth, values) {
  const created = await fetch(`${BACKEND_URL}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      templateRef: 'template:default/request-aws-access',
      values,
    }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = await created.json();
  let task;
  for (let i = 0; i < 240; i++) {
    task = await (
      await fetch(`${BACKEND_URL}/api/scaffolder/v2/tasks/${id}`, {
        headers: auth,
      })
    ).json();
    if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
    await sleep(500);
  }
  const events = await (
    await fetch(`${BACKEND_URL}/api/scaffolder/v2/tasks/${id}/events`, {
      headers: auth,
    })
  ).json();
  return { id, task, log: events.map(e => e.body?.message ?? '').join('\n') };
}

describe('backend and app smoke', () => {
  let backend;
  let bootMs;

  before(async () => {
    backend = await startBackend({
      root,
      logFile: resolve(results, 'smoke-backend.log'),
      // The built app is served by the backend (app-backend), so the app's own base URL
      // is the backend's for this test.
      extraEnv: { APP_CONFIG_app_baseUrl: APP_URL },
    });
    bootMs = await waitForOk(`${BACKEND_URL}/api/irsa/health`, backend);
    console.log(`backend answered /api/irsa/health after ${bootMs} ms`);
  });

  after(async () => {
    await backend?.stop();
  });

  it('answers /api/irsa/health', async () => {
    const res = await fetch(`${BACKEND_URL}/api/irsa/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('lists the example services in the catalog', async () => {
    const token = await guestToken();
    // The catalog ingests locations in the background after start-up: poll briefly.
    let names = [];
    for (let i = 0; i < 120 && names.length < EXAMPLE_SERVICES.length; i++) {
      const res = await fetch(
        `${BACKEND_URL}/api/catalog/entities?filter=kind=component`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      assert.equal(res.status, 200);
      names = (await res.json()).map(e => e.metadata.name).sort();
      if (names.length < EXAMPLE_SERVICES.length) await sleep(500);
    }
    assert.deepEqual(names, [...EXAMPLE_SERVICES].sort());
  });

  it('lists the configured IRSA clusters without secrets', async () => {
    const token = await guestToken();
    const res = await fetch(`${BACKEND_URL}/api/irsa/clusters`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(
      body.items.map(c => c.name),
      ['sandbox'],
    );
    const text = JSON.stringify(body);
    assert.ok(!text.includes(process.env.IRSA_SANDBOX_K8S_TOKEN ?? '\0'));
  });

  it('runs the "Request AWS access" template end to end on the sandbox', async () => {
    const env = process.env;
    const token = await guestToken();
    const auth = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    };
    // The team's namespace exists before anyone requests access (namespaces are not ours).
    const ns = await kube('POST', '/api/v1/namespaces', {
      metadata: { name: 'payments' },
    });
    assert.ok([201, 409].includes(ns.status), `create namespace: ${ns.status}`);

    const { task, log } = await requestAccess(auth, {
      entity: 'component:default/payments-api',
      cluster: 'sandbox',
      namespace: 'payments',
      serviceAccount: 'payments-api',
      roleName: 'payments-api',
      policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    });
    assert.equal(task.status, 'completed', log);

    // No token or credential ever reaches the task log.
    for (const secret of [
      env.IRSA_SANDBOX_K8S_TOKEN,
      env.IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY,
    ]) {
      assert.ok(!log.includes(secret), 'a secret appeared in the task log');
    }

    const roleArn = `arn:aws:iam::${env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID}:role/irsa/irsa-payments-api`;
    const sa = await kube(
      'GET',
      '/api/v1/namespaces/payments/serviceaccounts/payments-api',
    );
    assert.equal(sa.status, 200);
    assert.equal(
      sa.body.metadata.annotations['eks.amazonaws.com/role-arn'],
      roleArn,
    );

    const iam = await iamIn(env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID);
    const { Role } = await iam.send(
      new GetRoleCommand({ RoleName: 'irsa-payments-api' }),
    );
    const trust = JSON.parse(decodeURIComponent(Role.AssumeRolePolicyDocument));
    const hostPath = env.IRSA_SANDBOX_OIDC_ISSUER.replace('https://', '');
    assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
      [`${hostPath}:aud`]: 'sts.amazonaws.com',
      [`${hostPath}:sub`]: 'system:serviceaccount:payments:payments-api',
    });
  });

  it("refuses the guest's request for another team's service, saying why", async () => {
    const token = await guestToken();
    const auth = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    };
    const refused = await requestAccess(auth, {
      entity: 'component:default/status-page',
      cluster: 'sandbox',
      namespace: 'platform',
      serviceAccount: 'status-page',
      roleName: 'status-page',
    });
    refusedTaskId = refused.id;
    assert.equal(refused.task.status, 'failed');
    assert.match(
      refused.log,
      /user:default\/guest may not request AWS access for component:default\/status-page/,
    );
  });

  it('shows the catalog and the IRSA card in Chromium', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({
        viewport: { width: 1400, height: 900 },
      });
      await page.goto(`${APP_URL}/`);
      await page.getByRole('button', { name: 'Enter' }).click();
      // The guest belongs to team-payments, so the catalog opens on its owned services;
      // show all of them.
      await page
        .getByRole('button', { name: 'Enter' })
        .waitFor({ state: 'detached', timeout: 60_000 });
      await page.goto(`${APP_URL}/?filters%5Buser%5D=all`);
      for (const name of EXAMPLE_SERVICES) {
        await page
          .getByRole('link', { name, exact: true })
          .waitFor({ timeout: 60_000 });
      }
      await page.screenshot({
        path: resolve(results, 'catalog.png'),
        fullPage: true,
      });

      // The IRSA plugin is installed in the app: its card is on a bound service's page.
      await page
        .getByRole('link', { name: 'payments-api', exact: true })
        .click();
      await page.getByText('AWS access (IRSA)').waitFor({ timeout: 60_000 });
      await page
        .getByText('payments/payments-api')
        .first()
        .waitFor({ timeout: 30_000 });
      // The template run above bound the role: the card shows it, from the live status.
      await page
        .getByText(
          `arn:aws:iam::${process.env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID}:role/irsa/irsa-payments-api`,
        )
        .first()
        .waitFor({ timeout: 30_000 });
      // Live verify: the sandbox's STS (signature, provider, audience, expiry and trust checked;
      // see docs/sandbox.md) answers who the ServiceAccount is, and the card shows it.
      await page
        .getByRole('button', { name: 'Verify with AWS' })
        .first()
        .click();
      await page
        .getByText(
          new RegExp(
            `arn:aws:sts::${process.env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID}:assumed-role/irsa-payments-api/backstage-irsa-verify-`,
          ),
        )
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({
        path: resolve(results, 'irsa-card.png'),
        fullPage: true,
      });

      // A service whose ServiceAccount was never created: the card says so, with the fix.
      await page.goto(`${APP_URL}/catalog/default/component/settlement-worker`);
      await page
        .getByText('payments/settlement-worker')
        .first()
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('link', { name: 'Troubleshooting P2' })
        .waitFor({ timeout: 30_000 });
      await page.screenshot({
        path: resolve(results, 'irsa-card-broken.png'),
        fullPage: true,
      });

      // The guest's request for team-platform's service, refused: the task page says why.
      await page.goto(`${APP_URL}/create/tasks/${refusedTaskId}`);
      await page
        .getByText(
          /may not request AWS access for component:default\/status-page/,
        )
        .first()
        .waitFor({ timeout: 60_000 });
      await page.screenshot({
        path: resolve(results, 'request-refused.png'),
        fullPage: true,
      });

      // The template is offered to developers.
      await page.goto(`${APP_URL}/create`);
      await page
        .getByText('Request AWS access')
        .first()
        .waitFor({ timeout: 60_000 });
      await page.screenshot({
        path: resolve(results, 'create.png'),
        fullPage: true,
      });
    } catch (e) {
      // What the browser showed is the fastest way to see why.
      const [page] = browser.contexts().flatMap(c => c.pages());
      await page?.screenshot({ path: resolve(results, 'catalog-failure.png') });
      throw e;
    } finally {
      await browser.close();
    }
  });
});
