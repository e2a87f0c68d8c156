import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type { BindingReport } from '@backstage-irsa/plugin-irsa-common';
import { screen } from '@testing-library/react';
import { irsaApiRef } from '../../api';
import { VerifyPanel } from './VerifyPanel';

// In a file of its own: usePermission caches answers per permission for the whole test
// file, so a DENY here would otherwise be answered from another test's ALLOW.

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api' },
  spec: {},
};

const binding: BindingReport = {
  cluster: 'prod',
  namespace: 'payments',
  serviceAccount: 'payments-api',
  roleArn: 'arn:aws:iam::111111111111:role/irsa-payments-api',
  overall: 'trusted',
  checks: [],
  pods: [],
};

describe('VerifyPanel', () => {
  it('is disabled for callers without irsa.verify on the entity', async () => {
    const verify = jest.fn();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [irsaApiRef, { verify }],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ]}
      >
        <EntityProvider entity={entity}>
          <VerifyPanel binding={binding} />
        </EntityProvider>
      </TestApiProvider>,
    );
    const button = await screen.findByRole('button', {
      name: 'Verify with AWS',
    });
    expect(button).toBeDisabled();
    expect(verify).not.toHaveBeenCalled();
  });

  it('offers nothing for a ServiceAccount without a role', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [irsaApiRef, { verify: jest.fn() }],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={entity}>
          <VerifyPanel binding={{ ...binding, roleArn: undefined }} />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      screen.queryByRole('button', { name: 'Verify with AWS' }),
    ).toBeNull();
  });
});
