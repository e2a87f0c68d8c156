// A new developer's walk, in headless Chromium against the real backend and the sandbox:
// a service with no AWS access → its card's "Request AWS access" → the template's form,
// prefilled from the service → the review page with the real role → the task → the card
// showing the binding (found by its label: catalog-info.yaml is never edited) → Verify.
// And the form's fields on their own: what each lists, what it refuses, at the field.
// Screenshots go to test-results/journey-*.png and test-results/form-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { launchChromium } from './browser.mjs';
import {
  BACKEND_URL,
  guestToken,
  startBackend,
  waitForOk,
} from './backend.mjs';
import { iamIn, kube } from './sandboxClients.mjs';

// The page must share the backend's origin as app-config.yaml names it (localhost).
const APP_URL = 'http://localhost:7007';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const results = resolve(root, 'test-results');
mkdirSync(results, { recursive: true });

const env = process.env;
const ACCOUNT = env.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID;
// examples/entities.yaml: a team-payments service in namespace payments, with no IRSA
// annotation at all.
const SERVICE = 'receipts-indexer';
const ROLE_NAME = `irsa-${SERVICE}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/irsa/${ROLE_NAME}`;

/** Waits until a form field holds `value` (fields fill in as their data loads). */
async function valueOf(locator, value, timeoutMs = 30_000) {
  const start = Date.now();
  let seen;
  while (Date.now() - start < timeoutMs) {
    seen = await locator.inputValue();
    if (seen === value) return;
    await new Promise(r => setTimeout(r, 200));
  }
  assert.equal(seen, value);
}

const shot = (page, name) =>
  page.screenshot({ path: resolve(results, `${name}.png`), fullPage: true });

async function signIn(browser) {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
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

/**
 * The walk starts from a service without AWS access: a run of this file against a sandbox
 * that is still up from an earlier run removes what that run made (CI's sandbox is fresh).
 */
async function forgetEarlierRun() {
  const sa = await kube(
    'DELETE',
    `/api/v1/namespaces/payments/serviceaccounts/${SERVICE}`,
  );
  assert.ok(
    [200, 404].includes(sa.status),
    `delete ServiceAccount: ${sa.status}`,
  );
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

describe('a new developer requests AWS access from the card (Chromium)', () => {
  let backend;

  before(async () => {
    backend = await startBackend({
      root,
      logFile: resolve(results, 'journey-backend.log'),
      extraEnv: { APP_CONFIG_app_baseUrl: APP_URL },
    });
    await waitForOk(`${BACKEND_URL}/api/irsa/health`, backend);
    // The service's namespace exists, as on a real cluster (namespaces are not ours).
    const ns = await kube('POST', '/api/v1/namespaces', {
      metadata: { name: 'payments' },
    });
    assert.ok([201, 409].includes(ns.status), `namespace: ${ns.status}`);
    // The catalog has read the examples (the guest's team, the service).
    await guestToken();
    await forgetEarlierRun();
  });

  after(async () => {
    await backend?.stop();
  });

  it('card → Request AWS access → form → review → task → card → Verify', async () => {
    await withPage('journey', async page => {
      await page.goto(`${APP_URL}/catalog/default/component/${SERVICE}`);
      await page
        .getByText('This service has no AWS access yet')
        .waitFor({ timeout: 60_000 });
      await shot(page, 'journey-1-card-empty');

      await page.getByRole('button', { name: 'Request AWS access' }).click();
      await page.waitForURL(/\/create\/templates\/default\/request-aws-access/);
      // Step 1, prefilled from the service: the only cluster, the service's namespace.
      const namespace = page.getByTestId('irsa-namespace-picker');
      await page
        .getByRole('button', { name: /^Namespace/ })
        .filter({ hasText: 'payments' })
        .waitFor({ timeout: 60_000 });
      await valueOf(namespace, 'payments');
      // The only cluster is picked once the clusters have loaded.
      await valueOf(page.getByTestId('irsa-cluster-picker'), 'sandbox');
      await shot(page, 'journey-2-form-service');
      await page.getByRole('button', { name: 'Next' }).click();

      // Step 2: ServiceAccount and role named after the service; the preview shows the
      // role as IAM will have it, prefix, path and ARN included.
      const serviceAccount = page.getByRole('textbox', {
        name: /^ServiceAccount/,
      });
      await serviceAccount.waitFor({ timeout: 30_000 });
      await valueOf(serviceAccount, SERVICE);
      await page.getByText(ROLE_ARN).first().waitFor({ timeout: 30_000 });
      await page
        .getByText(`system:serviceaccount:payments:${SERVICE}`)
        .first()
        .waitFor();
      // A preset of the platform's, with its parameter.
      await page.getByRole('checkbox', { name: /Read one S3 bucket/ }).check();
      await page
        .getByRole('textbox', { name: /Bucket name/ })
        .fill('payments-receipts');
      await shot(page, 'journey-3-form-access');
      await page.getByRole('button', { name: 'Review' }).click();

      // The review names the real role, its ARN and who may assume it.
      await page
        .getByRole('button', { name: 'Create' })
        .waitFor({ timeout: 30_000 });
      await page.getByText('Role ARN').first().waitFor();
      await page.getByText(ROLE_ARN).first().waitFor({ timeout: 30_000 });
      await page.getByText(ROLE_NAME, { exact: true }).first().waitFor();
      await page
        .getByText(`system:serviceaccount:payments:${SERVICE}`)
        .first()
        .waitFor();
      await shot(page, 'journey-4-review');
      await page.getByRole('button', { name: 'Create' }).click();

      // The task: four steps, the last proving the access with AWS.
      await page.getByText('AWS access is ready').waitFor({ timeout: 180_000 });
      await page
        .getByText(
          new RegExp(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/`),
        )
        .first()
        .waitFor();
      await shot(page, 'journey-5-task');

      // What the review showed is what was created.
      const iam = await iamIn(ACCOUNT);
      const { Role } = await iam.send(
        new GetRoleCommand({ RoleName: ROLE_NAME }),
      );
      assert.equal(Role.Arn, ROLE_ARN);
      const { PolicyNames } = await iam.send(
        new ListRolePoliciesCommand({ RoleName: ROLE_NAME }),
      );
      assert.deepEqual(PolicyNames, ['preset-s3-read-bucket']);

      // Back on the service: the card shows the binding without any catalog edit.
      await page.goto(`${APP_URL}/catalog/default/component/${SERVICE}`);
      await page
        .getByRole('heading', { name: `payments/${SERVICE}` })
        .waitFor({ timeout: 60_000 });
      await page.getByText(ROLE_ARN).first().waitFor();
      await page.getByText('Trusted').first().waitFor();
      await page
        .getByRole('button', { name: 'Verify with AWS' })
        .first()
        .click();
      await page
        .getByText(
          new RegExp(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/`),
        )
        .first()
        .waitFor({ timeout: 30_000 });
      await shot(page, 'journey-6-card-trusted');
    });
  });

  it('the form lists what config and the cluster say, and refuses at the field', async () => {
    await withPage('form', async page => {
      const formData = encodeURIComponent(
        JSON.stringify({ entity: 'component:default/payments-api' }),
      );
      await page.goto(
        `${APP_URL}/create/templates/default/request-aws-access?formData=${formData}`,
      );
      // Clusters from irsa.clusters, with region and account.
      await page
        .getByTestId('irsa-cluster-picker')
        .waitFor({ state: 'attached', timeout: 60_000 });
      await page.getByRole('button', { name: /^Cluster/ }).click();
      await page
        .getByRole('option', {
          name: `sandbox (${env.IRSA_SANDBOX_REGION}, account ${ACCOUNT})`,
        })
        .waitFor();
      await shot(page, 'form-1-clusters');
      await page.keyboard.press('Escape');

      // The cluster's namespaces: the guardrails' kube-* refused, with the reason.
      await page.getByRole('button', { name: /^Namespace/ }).click();
      const kubeSystem = page.getByRole('option', {
        name: /kube-system: not allowed/,
      });
      await kubeSystem.waitFor({ timeout: 30_000 });
      assert.equal(await kubeSystem.getAttribute('aria-disabled'), 'true');
      await page
        .getByText(/irsa\.guardrails\.deniedNamespaces/)
        .first()
        .waitFor();
      await shot(page, 'form-2-namespaces');
      await page.getByRole('option', { name: 'payments', exact: true }).click();
      // Accounts for cross-account roles: the cluster's own, and irsa.clusters[].allowedAccountIds.
      await page.getByRole('button', { name: /^AWS account/ }).click();
      await page
        .getByRole('option', { name: `The cluster's own account (${ACCOUNT})` })
        .waitFor();
      await page
        .getByRole('option', {
          name: `Account ${env.IRSA_SANDBOX_TARGET_ACCOUNT_ID}`,
        })
        .waitFor();
      await shot(page, 'form-2-accounts');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Next' }).click();

      // The ServiceAccount and the role start on the service's name.
      const roleName = page.getByRole('textbox', { name: /^Role name/ });
      await roleName.waitFor({ timeout: 30_000 });
      await valueOf(
        page.getByRole('textbox', { name: /^ServiceAccount/ }),
        'payments-api',
      );
      await valueOf(roleName, 'payments-api');
      // A role name IAM would refuse: said at the field, in words, as you type.
      await roleName.fill('payments api!');
      await page
        .getByText(
          /contains " ", "!": IAM allows only letters, digits and \+ = , \. @ _ -/,
        )
        .first()
        .waitFor({ timeout: 30_000 });
      // Presets from irsa.presets and the managed policies the guardrails allow.
      for (const name of [
        /Read one S3 bucket/,
        /Consume one SQS queue/,
        /AmazonS3ReadOnlyAccess/,
        /AmazonDynamoDBReadOnlyAccess/,
      ]) {
        await page.getByRole('checkbox', { name }).waitFor();
      }
      await page.getByRole('checkbox', { name: /Read one S3 bucket/ }).check();
      await page
        .getByRole('textbox', { name: /Bucket name/ })
        .fill('Not A Bucket');
      await shot(page, 'form-3-refusals');
      await page
        .getByText('"Not A Bucket" is not a valid bucket name')
        .first()
        .waitFor();
      // Review is refused while a field is wrong, and the fields say why; the page stays
      // on this step (a field's own validation, before anything reaches the backend).
      await page.getByRole('button', { name: 'Review' }).click();
      await page
        .getByText(/contains " ", "!"/)
        .first()
        .waitFor();
      await page.waitForTimeout(1000); // what a navigation would take; nothing to wait for
      assert.equal(
        await page.getByRole('button', { name: 'Create' }).count(),
        0,
      );
      assert.equal(await roleName.inputValue(), 'payments api!');
      await shot(page, 'form-4-review-refused');
    });
  });
});
