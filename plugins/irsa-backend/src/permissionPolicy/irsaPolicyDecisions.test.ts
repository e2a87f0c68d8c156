import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  irsaBindingCreatePermission,
  irsaBindingDeletePermission,
  irsaOverviewReadPermission,
  irsaStatusReadPermission,
  irsaVerifyPermission,
} from '@backstage-irsa/plugin-irsa-common';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { createIrsaPolicyDecisions } from './irsaPolicyDecisions';

describe('createIrsaPolicyDecisions', () => {
  const userInfo = mockServices.userInfo({
    userEntityRef: 'user:default/ada',
    ownershipEntityRefs: ['user:default/ada', 'group:default/team-payments'],
  });
  const decisions = createIrsaPolicyDecisions({ userInfo });
  const user = {
    credentials: mockCredentials.user('user:default/ada'),
    info: { userEntityRef: 'user:default/ada', ownershipEntityRefs: [] },
  };

  it('lets everyone read status', async () => {
    await expect(
      decisions.decide({ permission: irsaStatusReadPermission }, user),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets only the configured readers see the overview', async () => {
    await expect(
      decisions.decide({ permission: irsaOverviewReadPermission }, user),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    const platform = createIrsaPolicyDecisions({
      userInfo,
      overviewReaders: ['Group:default/Team-Payments'],
    });
    await expect(
      platform.decide({ permission: irsaOverviewReadPermission }, user),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      platform.decide({ permission: irsaOverviewReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it.each([
    irsaVerifyPermission,
    irsaBindingCreatePermission,
    irsaBindingDeletePermission,
  ])(
    'grants %s to owners only, as a catalog condition on the user and their groups',
    async permission => {
      await expect(decisions.decide({ permission }, user)).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/ada', 'group:default/team-payments'],
          },
        },
      });
    },
  );

  it('lets the retirers retire any entity, unconditionally (orphans have no entity to check)', async () => {
    const platform = createIrsaPolicyDecisions({
      userInfo,
      retirers: ['Group:default/Team-Payments'],
    });
    await expect(
      platform.decide({ permission: irsaBindingDeletePermission }, user),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    // Being a retirer grants nothing else, and reading the overview grants no removal.
    await expect(
      platform.decide({ permission: irsaBindingCreatePermission }, user),
    ).resolves.toMatchObject({ result: AuthorizeResult.CONDITIONAL });
    const readers = createIrsaPolicyDecisions({
      userInfo,
      overviewReaders: ['group:default/team-payments'],
    });
    await expect(
      readers.decide({ permission: irsaBindingDeletePermission }, user),
    ).resolves.toMatchObject({ result: AuthorizeResult.CONDITIONAL });
    await expect(
      platform.decide({ permission: irsaBindingDeletePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies verify and requests without a user', async () => {
    await expect(
      decisions.decide({ permission: irsaBindingCreatePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('leaves other permissions to the caller', async () => {
    await expect(
      decisions.decide(
        {
          permission: createPermission({
            name: 'catalog.entity.read',
            attributes: { action: 'read' },
          }),
        },
        user,
      ),
    ).resolves.toBeUndefined();
  });
});
