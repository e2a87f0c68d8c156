import { Entity } from '@backstage/catalog-model';
import { configApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  type BindingReport,
  createCheckResult,
  getFailure,
  type StatusReport,
} from '@backstage-irsa/plugin-irsa-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IrsaApi, irsaApiRef } from '../../api';
import {
  requestAccessTemplateRouteRef,
  troubleshootingRouteRef,
} from '../../routes';
import { EntityIrsaCard } from './EntityIrsaCard';

const ROLE_ARN = 'arn:aws:iam::111111111111:role/payments-api';
const DOCS_BASE = 'https://github.com/acme/backstage-irsa/blob/main';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', annotations },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  };
}

const annotated = entity({
  'irsa.backstage.io/service-accounts': 'prod/payments/payments-api',
});

function report(partial: Partial<StatusReport>): StatusReport {
  return {
    entityRef: 'component:default/payments-api',
    generatedAt: '2025-01-01T00:00:00.000Z',
    overall: 'trusted',
    bindings: [],
    checks: [],
    ...partial,
  };
}

const trustedBinding: BindingReport = {
  cluster: 'prod',
  namespace: 'payments',
  serviceAccount: 'payments-api',
  roleArn: ROLE_ARN,
  overall: 'trusted',
  checks: [
    createCheckResult(
      'P2',
      'pass',
      'ServiceAccount payments/payments-api exists.',
    ),
    createCheckResult('P3', 'pass', `Annotated with ${ROLE_ARN}.`),
    createCheckResult('F3', 'pass', 'Statement 0 allows the ServiceAccount.'),
  ],
  pods: [{ name: 'payments-api-7d9f-abcde', needsRestart: false }],
};

const brokenBinding: BindingReport = {
  ...trustedBinding,
  overall: 'broken',
  checks: [
    createCheckResult('P3', 'pass', `Annotated with ${ROLE_ARN}.`),
    createCheckResult(
      'F3',
      'fail',
      'No statement allows system:serviceaccount:payments:payments-api.',
    ),
  ],
};

/** The app's routes: the scaffolder's template page and the bundled guide, as mounted. */
const withRoutes = {
  mountedRoutes: {
    '/create/templates/:namespace/:templateName': requestAccessTemplateRouteRef,
    '/irsa/troubleshooting': troubleshootingRouteRef,
  },
};

async function renderCard(
  e: Entity,
  api: Partial<IrsaApi>,
  config: object = {},
  permission = mockApis.permission(),
  options: Parameters<typeof renderInTestApp>[1] = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [irsaApiRef, api],
        [configApiRef, mockApis.config({ data: config })],
        [permissionApiRef, permission],
      ]}
    >
      <EntityProvider entity={e}>
        <EntityIrsaCard />
      </EntityProvider>
    </TestApiProvider>,
    options,
  );
}

describe('EntityIrsaCard', () => {
  it('asks the backend for the status of this entity', async () => {
    const getStatus = jest.fn(async () =>
      report({ bindings: [trustedBinding] }),
    );
    await renderCard(annotated, { getStatus });
    await screen.findByRole('heading', { name: 'payments/payments-api' });
    // The first load may be answered from the backend's cache.
    expect(getStatus).toHaveBeenCalledWith(
      'component:default/payments-api',
      undefined,
    );
  });

  it('shows a trusted binding with its role, and folds its passed checks away', async () => {
    await renderCard(annotated, {
      getStatus: async () => report({ bindings: [trustedBinding] }),
    });
    expect(
      await screen.findByRole('heading', { name: 'payments/payments-api' }),
    ).toBeInTheDocument();
    expect(screen.getByText('on cluster prod')).toBeInTheDocument();
    expect(screen.getByText(ROLE_ARN)).toBeInTheDocument();
    // Once for the entity, once for the binding.
    expect(screen.getAllByText('Trusted')).toHaveLength(2);
    expect(screen.getByText(/Every check passed/)).toBeInTheDocument();
    expect(
      screen.getByText('1 pod uses this ServiceAccount.'),
    ).toBeInTheDocument();

    // Passes stay out of the way until asked for.
    const toggle = screen.getByRole('button', { name: 'Show 3 passed checks' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText(getFailure('F3').title)).not.toBeInTheDocument();

    await userEvent.click(toggle);
    expect(
      screen.getByRole('button', { name: 'Hide 3 passed checks' }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText(getFailure('F3').title)).toBeInTheDocument();
    expect(
      screen.getByText('Statement 0 allows the ServiceAccount.'),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('img', { name: 'Pass' })).toHaveLength(3);
    // A pass needs no fix.
    expect(screen.queryByText(getFailure('F3').fix)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /Troubleshooting/ }),
    ).not.toBeInTheDocument();
  });

  it('shows a failed check with its fix and a troubleshooting link made absolute by config', async () => {
    await renderCard(
      annotated,
      {
        getStatus: async () =>
          report({ overall: 'broken', bindings: [brokenBinding] }),
      },
      { irsa: { docsBaseUrl: `${DOCS_BASE}/` } },
    );
    const heading = await screen.findByRole('heading', {
      name: 'payments/payments-api',
    });
    expect(heading).toBeInTheDocument();
    expect(screen.getAllByText('Broken')).toHaveLength(2);
    expect(screen.getByText(/At least one check failed/)).toBeInTheDocument();

    // The failure is shown without expanding anything; the pass is folded away.
    const [failure] = screen
      .getAllByRole('listitem')
      .filter(item => within(item).queryByText(getFailure('F3').title));
    expect(within(failure).getByText('F3')).toBeInTheDocument();
    expect(
      within(failure).getByRole('img', { name: 'Fail' }),
    ).toBeInTheDocument();
    expect(
      within(failure).getByText(
        'No statement allows system:serviceaccount:payments:payments-api.',
      ),
    ).toBeInTheDocument();
    expect(within(failure).getByText(getFailure('F3').fix)).toBeInTheDocument();
    expect(
      within(failure).getByRole('link', { name: /Troubleshooting F3/ }),
    ).toHaveAttribute('href', `${DOCS_BASE}/docs/troubleshooting.md#f3`);
    expect(
      screen.getByRole('button', { name: 'Show 1 passed check' }),
    ).toBeInTheDocument();
  });

  it('links to the guide in the app when no docs base is configured', async () => {
    await renderCard(
      annotated,
      {
        getStatus: async () =>
          report({ overall: 'broken', bindings: [brokenBinding] }),
      },
      {},
      mockApis.permission(),
      withRoutes,
    );
    const link = await screen.findByRole('link', {
      name: /Troubleshooting F3/,
    });
    expect(link).toHaveAttribute('href', '/irsa/troubleshooting#f3');
  });

  it('keeps the repository-relative link in an app without the guide page', async () => {
    await renderCard(annotated, {
      getStatus: async () =>
        report({ overall: 'broken', bindings: [brokenBinding] }),
    });
    const link = await screen.findByRole('link', {
      name: /Troubleshooting F3/,
    });
    expect(link.getAttribute('href')).toMatch(/docs\/troubleshooting\.md#f3$/);
  });

  it('makes the role ARN copyable and links it to the IAM console of its partition', async () => {
    await renderCard(annotated, {
      getStatus: async () =>
        report({
          bindings: [
            {
              ...trustedBinding,
              roleArn: 'arn:aws-cn:iam::111111111111:role/irsa/payments-api',
            },
          ],
        }),
    });
    const consoleLink = await screen.findByRole('link', {
      name: /Open in the AWS console \(account 111111111111\)/,
    });
    expect(consoleLink).toHaveAttribute(
      'href',
      'https://console.amazonaws.cn/iam/home#/roles/details/payments-api',
    );
    expect(
      screen.getByRole('button', { name: 'Copy the role ARN' }),
    ).toBeInTheDocument();
  });

  it('shows a check with nothing to check yet as not applicable, not as passed', async () => {
    await renderCard(annotated, {
      getStatus: async () =>
        report({
          bindings: [
            {
              ...trustedBinding,
              pods: [],
              checks: [
                ...trustedBinding.checks,
                createCheckResult(
                  'F10',
                  'notApplicable',
                  'No pod runs with this ServiceAccount yet, so there is nothing to check.',
                ),
              ],
            },
          ],
        }),
    });
    expect(await screen.findByTitle('Not applicable yet')).toBeInTheDocument();
    expect(
      screen.getByText(/No pod runs with this ServiceAccount yet/),
    ).toBeVisible();
    expect(
      screen.getByRole('button', { name: 'Show 3 passed checks' }),
    ).toBeInTheDocument();
  });

  it('says clearly when a ServiceAccount is not bound to a role', async () => {
    await renderCard(annotated, {
      getStatus: async () =>
        report({
          overall: 'broken',
          bindings: [
            {
              cluster: 'prod',
              namespace: 'payments',
              serviceAccount: 'payments-api',
              overall: 'broken',
              checks: [
                createCheckResult(
                  'P2',
                  'pass',
                  'ServiceAccount payments/payments-api exists.',
                ),
                createCheckResult(
                  'P3',
                  'fail',
                  'payments/payments-api on cluster prod has no eks.amazonaws.com/role-arn annotation.',
                ),
              ],
              pods: [],
            },
          ],
        }),
    });
    expect(await screen.findByText(/^Not bound:/)).toBeInTheDocument();
    expect(screen.queryByText(/arn:aws:iam::/)).not.toBeInTheDocument();
    expect(screen.getByText(getFailure('P3').fix)).toBeInTheDocument();
  });

  it('lists pods that need a restart to pick up the role', async () => {
    await renderCard(annotated, {
      getStatus: async () =>
        report({
          overall: 'warning',
          bindings: [
            {
              ...trustedBinding,
              overall: 'warning',
              checks: [
                createCheckResult(
                  'F10',
                  'warn',
                  '1 pod started before the annotation.',
                ),
              ],
              pods: [
                { name: 'payments-api-old', needsRestart: true },
                { name: 'payments-api-new', needsRestart: false },
              ],
            },
          ],
        }),
    });
    expect(
      await screen.findByText(
        /2 pods use this ServiceAccount\..*payments-api-old/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/payments-api-new/)).not.toBeInTheDocument();
    expect(
      screen.getByText(/AWS access works, with caveats/),
    ).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Warning' })).toBeInTheDocument();
    expect(screen.getByText(getFailure('F10').fix)).toBeInTheDocument();
  });

  it('shows checks about the entity itself above the bindings', async () => {
    await renderCard(annotated, {
      getStatus: async () =>
        report({
          overall: 'broken',
          checks: [
            createCheckResult(
              'P6',
              'fail',
              'The namespace "Payments" is not a DNS-1123 label.',
            ),
          ],
          bindings: [trustedBinding],
        }),
    });
    const entityHeading = await screen.findByRole('heading', {
      name: 'Catalog entry',
    });
    const bindingHeading = screen.getByRole('heading', {
      name: 'payments/payments-api',
    });
    const p6 = screen.getByText(getFailure('P6').title);
    // Document order: entity heading, its P6 check, then the binding.
    expect(
      entityHeading.compareDocumentPosition(p6) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      p6.compareDocumentPosition(bindingHeading) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      screen.getByText('The namespace "Payments" is not a DNS-1123 label.'),
    ).toBeInTheDocument();
    expect(screen.getByText(getFailure('P6').fix)).toBeInTheDocument();
  });

  it('explains the card and offers the template, prefilled, when the service has no binding', async () => {
    await renderCard(
      entity({ 'backstage.io/kubernetes-namespace': 'payments' }),
      { getStatus: async () => report({ overall: 'unknown' }) },
      {},
      mockApis.permission(),
      withRoutes,
    );
    expect(
      await screen.findByText('This service has no AWS access yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/this card shows the AWS role its pods run as/),
    ).toBeInTheDocument();
    // The exact annotation, for a ServiceAccount made another way.
    expect(
      screen.getByText(
        /catalog-info\.yaml: irsa\.backstage\.io\/service-accounts: payments\/payments-api$/,
      ),
    ).toBeInTheDocument();
    // Nothing was checked, so no alarming "Unknown".
    expect(screen.queryByText('Unknown')).not.toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Request AWS access' });
    const href = new URL(button.getAttribute('href')!, 'http://app');
    expect(href.pathname).toBe('/create/templates/default/request-aws-access');
    expect(JSON.parse(href.searchParams.get('formData')!)).toEqual({
      entity: 'component:default/payments-api',
      namespace: 'payments',
      serviceAccount: 'payments-api',
      roleName: 'payments-api',
    });
  });

  it('opens the template the app configures, and links it below existing bindings too', async () => {
    await renderCard(
      annotated,
      { getStatus: async () => report({ bindings: [trustedBinding] }) },
      { irsa: { requestAccessTemplate: 'template:platform/irsa-access' } },
      mockApis.permission(),
      withRoutes,
    );
    const link = await screen.findByRole('link', {
      name: /Request AWS access/,
    });
    expect(link.getAttribute('href')).toMatch(
      /^\/create\/templates\/platform\/irsa-access\?formData=/,
    );
  });

  it('shows no Request AWS access button in an app without a scaffolder', async () => {
    await renderCard(entity({}), {
      getStatus: async () => report({ overall: 'unknown' }),
    });
    expect(
      await screen.findByText('This service has no AWS access yet'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Request AWS access$/)).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderCard(annotated, {
      getStatus: async () => {
        throw new Error('backend down');
      },
    });
    expect(
      await screen.findByText(/Could not load the IRSA status/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
  });

  it('asks the backend about services without any annotation: the template labels what it makes', async () => {
    const getStatus = jest.fn(async () =>
      report({ bindings: [trustedBinding] }),
    );
    await renderCard(entity({}), { getStatus });
    await screen.findByRole('heading', { name: 'payments/payments-api' });
    expect(getStatus).toHaveBeenCalledWith(
      'component:default/payments-api',
      undefined,
    );
  });

  it('asks the backend again on refresh, past its cache, and shows the new report', async () => {
    const getStatus = jest
      .fn<Promise<StatusReport>, [string, { fresh?: boolean } | undefined]>()
      .mockResolvedValueOnce(
        report({ overall: 'broken', bindings: [brokenBinding] }),
      )
      .mockResolvedValueOnce(report({ bindings: [trustedBinding] }));
    await renderCard(annotated, { getStatus });
    expect(await screen.findAllByText('Broken')).toHaveLength(2);

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    expect(await screen.findAllByText('Trusted')).toHaveLength(2);
    expect(screen.queryByText('Broken')).not.toBeInTheDocument();
    expect(getStatus.mock.calls).toEqual([
      ['component:default/payments-api', undefined],
      ['component:default/payments-api', { fresh: true }],
    ]);
  });

  it('verifies live with AWS and shows who AWS says the ServiceAccount is', async () => {
    const verify = jest.fn(async () => ({
      cluster: 'prod',
      namespace: 'payments',
      serviceAccount: 'payments-api',
      roleArn: ROLE_ARN,
      ok: true,
      stsCalled: true,
      assumedRoleArn:
        'arn:aws:sts::111111111111:assumed-role/irsa-payments-api/s',
      check: createCheckResult('F3', 'pass', 'ok'),
      verifiedAt: '2026-11-23T10:00:00Z',
    }));
    await renderCard(annotated, {
      getStatus: async () => report({ bindings: [trustedBinding] }),
      verify,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Verify with AWS' }),
    );
    expect(
      await screen.findByText(
        'arn:aws:sts::111111111111:assumed-role/irsa-payments-api/s',
      ),
    ).toBeInTheDocument();
    expect(verify).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      cluster: trustedBinding.cluster,
      namespace: 'payments',
      serviceAccount: 'payments-api',
    });
  });

  it('shows why STS refused, with the fix', async () => {
    await renderCard(annotated, {
      getStatus: async () => report({ bindings: [trustedBinding] }),
      verify: async () => ({
        cluster: 'prod',
        namespace: 'payments',
        serviceAccount: 'payments-api',
        roleArn: ROLE_ARN,
        ok: false,
        stsCalled: true,
        stsErrorCode: 'AccessDenied',
        check: createCheckResult(
          'F3',
          'fail',
          'STS refused: AccessDenied: Not authorized',
        ),
        verifiedAt: '2026-11-23T10:00:00Z',
      }),
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Verify with AWS' }),
    );
    expect(
      await screen.findByText('STS refused: AccessDenied: Not authorized'),
    ).toBeInTheDocument();
  });
});
