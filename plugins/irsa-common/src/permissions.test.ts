import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  irsaBindingCreatePermission,
  irsaBindingDeletePermission,
  irsaOverviewReadPermission,
  irsaPermissions,
  irsaStatusReadPermission,
  irsaVerifyPermission,
} from './permissions';

describe('permissions', () => {
  it('defines status read as a catalog-entity read', () => {
    expect(irsaStatusReadPermission).toEqual({
      type: 'resource',
      name: 'irsa.status.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
  });

  it('defines verify without an action, so generic read policies do not grant it', () => {
    expect(irsaVerifyPermission).toEqual({
      type: 'resource',
      name: 'irsa.verify',
      attributes: {},
      resourceType: 'catalog-entity',
    });
    expect(isResourcePermission(irsaVerifyPermission, 'catalog-entity')).toBe(
      true,
    );
  });

  it('defines binding create as a create on the catalog entity', () => {
    expect(irsaBindingCreatePermission).toEqual({
      type: 'resource',
      name: 'irsa.binding.create',
      attributes: { action: 'create' },
      resourceType: 'catalog-entity',
    });
  });

  it('defines binding delete as a delete on the catalog entity', () => {
    expect(irsaBindingDeletePermission).toEqual({
      type: 'resource',
      name: 'irsa.binding.delete',
      attributes: { action: 'delete' },
      resourceType: 'catalog-entity',
    });
  });

  it('defines overview read as a basic read: it is about every entity at once', () => {
    expect(irsaOverviewReadPermission).toEqual({
      type: 'basic',
      name: 'irsa.overview.read',
      attributes: { action: 'read' },
    });
  });

  it('lists every permission once', () => {
    expect(irsaPermissions.map(p => p.name)).toEqual([
      'irsa.status.read',
      'irsa.verify',
      'irsa.binding.create',
      'irsa.overview.read',
      'irsa.binding.delete',
    ]);
  });
});
