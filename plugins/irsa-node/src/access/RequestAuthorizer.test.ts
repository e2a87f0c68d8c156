import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { testRegistry } from '../__testUtils__/testRegistry';
import { RequestAuthorizer } from './RequestAuthorizer';

const registry = testRegistry();

const api = {
  kind: 'Component',
  metadata: { name: 'api', namespace: 'default' },
  spec: { owner: 'team-a' },
};

function authorizer(allow = true) {
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockResolvedValue([
    { result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY },
  ]);
  const catalog = {
    getEntityByRef: jest.fn(async (ref: string) =>
      ref === 'component:default/api' ? api : undefined,
    ),
  };
  return {
    permissions,
    catalog,
    authorizer: new RequestAuthorizer({ registry, catalog, permissions }),
  };
}

describe('RequestAuthorizer', () => {
  const ada = mockCredentials.user('user:default/ada');

  it('returns the entity and requester when the user holds irsa.binding.create on it', async () => {
    const { authorizer: a, permissions, catalog } = authorizer();
    await expect(a.authorizeBinding('Component:api', ada)).resolves.toEqual({
      entity: api,
      entityRef: 'component:default/api',
      requester: 'user:default/ada',
    });
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'component:default/api',
      { credentials: ada },
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({ name: 'irsa.binding.create' }),
          resourceRef: 'component:default/api',
        },
      ],
      { credentials: ada },
    );
  });

  it('refuses a user without the permission, naming them and the entity', async () => {
    const { authorizer: a } = authorizer(false);
    await expect(
      a.authorizeBinding('component:default/api', ada),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'user:default/ada may not request AWS access for component:default/api',
      ),
    });
  });

  it('refuses an entity the user cannot see, like a missing one', async () => {
    const { authorizer: a, permissions } = authorizer();
    await expect(
      a.authorizeBinding('component:default/hidden', ada),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it.each([
    ['', 'InputError'],
    ['component:default/../../group/team-platform', 'InputError'],
    ['group:default/team-a', 'InputError'],
  ])('refuses %j before the catalog is asked', async (ref, name) => {
    const { authorizer: a, catalog } = authorizer();
    await expect(a.authorizeBinding(ref, ada)).rejects.toMatchObject({ name });
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
  });

  it('refuses service principals, which the permission framework would allow everything', async () => {
    const { authorizer: a, catalog } = authorizer();
    await expect(
      a.authorizeBinding('component:default/api', mockCredentials.service()),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
  });
});

describe('RequestAuthorizer.authorizeRetirement', () => {
  const ada = mockCredentials.user('user:default/ada');

  it('checks irsa.binding.delete on the entity and returns it', async () => {
    const { authorizer: a, permissions } = authorizer();
    await expect(
      a.authorizeRetirement('component:default/api', ada),
    ).resolves.toEqual({
      entity: api,
      entityRef: 'component:default/api',
      requester: 'user:default/ada',
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({ name: 'irsa.binding.delete' }),
          resourceRef: 'component:default/api',
        },
      ],
      { credentials: ada },
    );
  });

  it('lets a user the policy allows retire an entity that has left the catalog', async () => {
    const { authorizer: a } = authorizer(true);
    await expect(
      a.authorizeRetirement('component:default/gone', ada),
    ).resolves.toEqual({
      entityRef: 'component:default/gone',
      requester: 'user:default/ada',
    });
  });

  it('answers NotFoundError for a missing entity when not allowed, NotAllowedError for a visible one', async () => {
    const { authorizer: a } = authorizer(false);
    await expect(
      a.authorizeRetirement('component:default/gone', ada),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('No entity component:default/gone'),
    });
    await expect(
      a.authorizeRetirement('component:default/api', ada),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'user:default/ada may not remove the AWS access of component:default/api (permission irsa.binding.delete)',
      ),
    });
  });

  it('refuses a malformed ref and service principals before the catalog is asked', async () => {
    const { authorizer: a, catalog } = authorizer();
    await expect(
      a.authorizeRetirement('component:default/../x', ada),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      a.authorizeRetirement('component:default/api', mockCredentials.service()),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
  });
});
