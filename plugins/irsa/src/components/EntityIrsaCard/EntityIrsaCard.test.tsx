import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { IrsaApi, irsaApiRef } from '../../api';
import { EntityIrsaCard } from './EntityIrsaCard';

const clusters = [
  { name: 'prod', accountId: '111111111111', region: 'eu-west-1' },
  { name: 'dev', accountId: '222222222222', region: 'us-east-1' },
];

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', annotations },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  };
}

async function renderCard(e: Entity, api: Partial<IrsaApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[irsaApiRef, api]]}>
      <EntityProvider entity={e}>
        <EntityIrsaCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityIrsaCard', () => {
  it('lists each named ServiceAccount with its cluster, account and region', async () => {
    await renderCard(
      entity({
        'irsa.backstage.io/service-accounts': 'prod/payments/api, jobs/worker',
      }),
      { getClusters: async () => clusters },
    );
    expect(await screen.findByText('AWS access (IRSA)')).toBeInTheDocument();
    expect(screen.getByText('payments/api')).toBeInTheDocument();
    // An entry without a cluster applies to every configured cluster.
    expect(screen.getAllByText('jobs/worker')).toHaveLength(2);
    expect(screen.getAllByText('111111111111')).toHaveLength(2);
    expect(screen.getByText('222222222222')).toBeInTheDocument();
  });

  it('says when an entry names a cluster the backend does not know', async () => {
    await renderCard(
      entity({ 'irsa.backstage.io/service-accounts': 'staging/payments/api' }),
      { getClusters: async () => clusters },
    );
    expect(
      await screen.findByText('not configured in irsa.clusters'),
    ).toBeInTheDocument();
  });

  it('shows every problem of a malformed annotation', async () => {
    await renderCard(
      entity({ 'irsa.backstage.io/service-accounts': 'Payments/API' }),
      { getClusters: async () => clusters },
    );
    expect(
      await screen.findByText(
        /The irsa.backstage.io\/service-accounts annotation has problems/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The namespace "Payments" is not a DNS-1123 label/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /The ServiceAccount name "API" is not a DNS-1123 subdomain/,
      ),
    ).toBeInTheDocument();
  });

  it('offers the way forward when the service names no ServiceAccount yet', async () => {
    await renderCard(entity({ 'backstage.io/kubernetes-id': 'payments-api' }), {
      getClusters: async () => clusters,
    });
    expect(
      await screen.findByText('No ServiceAccounts named for this service'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderCard(
      entity({ 'irsa.backstage.io/service-accounts': 'payments/api' }),
      {
        getClusters: async () => {
          throw new Error('backend down');
        },
      },
    );
    expect(
      await screen.findByText(/Could not load the IRSA clusters/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
  });

  it('shows the missing-annotation state on entities without workloads', async () => {
    await renderCard(entity({}), { getClusters: async () => clusters });
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(screen.queryByText('AWS access (IRSA)')).not.toBeInTheDocument();
  });
});
