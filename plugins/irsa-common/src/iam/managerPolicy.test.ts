import { PolicyStatement } from '../trustPolicy/types';
import {
  buildManagerPolicy,
  ManagerPolicyDocument,
  ManagerPolicyInput,
} from './managerPolicy';

const BASE: ManagerPolicyInput = {
  rolePath: '/irsa/',
  roleNamePrefix: 'irsa-',
  allowedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
};
const BOUNDARY = 'arn:aws:iam::123456789012:policy/irsa-boundary';

function build(input: Partial<ManagerPolicyInput> = {}): ManagerPolicyDocument {
  const result = buildManagerPolicy({ ...BASE, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

function statement(doc: ManagerPolicyDocument, sid: string): PolicyStatement {
  const found = doc.Statement.find(s => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

function actionsOf(doc: ManagerPolicyDocument, effect: 'Allow' | 'Deny') {
  return doc.Statement.filter(s => s.Effect === effect).flatMap(s =>
    ([] as string[]).concat(s.Action ?? []),
  );
}

describe('buildManagerPolicy', () => {
  it('allows exactly the calls the product makes, deleting only in the statement for its own roles', () => {
    expect(actionsOf(build(), 'Allow').sort()).toEqual([
      'eks:DescribeCluster',
      'eks:ListPodIdentityAssociations',
      'iam:AddClientIDToOpenIDConnectProvider',
      'iam:AttachRolePolicy',
      'iam:CreateOpenIDConnectProvider',
      'iam:CreateRole',
      'iam:DeleteRole', // aws:irsa:delete-role
      'iam:DeleteRolePolicy',
      'iam:DetachRolePolicy',
      'iam:GetOpenIDConnectProvider',
      'iam:GetRole',
      'iam:ListAttachedRolePolicies',
      'iam:ListRolePolicies',
      'iam:ListRoles', // the overview's orphans
      'iam:TagOpenIDConnectProvider',
      'iam:TagRole', // while creating
      'iam:TagRole', // the trust timestamp (F16)
      'iam:UpdateAssumeRolePolicy',
    ]);
    const others = build().Statement.filter(s => s.Sid !== 'RetireOwnedRoles');
    expect(JSON.stringify(others)).not.toMatch(
      /PutRolePolicy|GetRolePolicy|Delete|Detach|PassRole|Untag|iam:\*|"\*:/,
    );
  });

  it('retires (deletes, detaches, lists inline policies) only roles under the path and prefix tagged as its own', () => {
    for (const doc of [
      build(),
      build({ inlinePolicies: true, permissionsBoundaryArn: BOUNDARY }),
    ]) {
      expect(statement(doc, 'RetireOwnedRoles')).toEqual({
        Sid: 'RetireOwnedRoles',
        Effect: 'Allow',
        Action: [
          'iam:DeleteRole',
          'iam:DeleteRolePolicy',
          'iam:DetachRolePolicy',
          'iam:ListRolePolicies',
        ],
        Resource: 'arn:aws:iam::*:role/irsa/irsa-*',
        Condition: {
          StringEquals: {
            'aws:ResourceTag/backstage-irsa:managed-by': 'backstage-irsa',
          },
        },
      });
    }
  });

  it('reads and writes inline policies, and puts the boundary back, only when the product does', () => {
    const all = build({
      inlinePolicies: true,
      permissionsBoundaryArn: BOUNDARY,
    });
    const added = actionsOf(all, 'Allow').filter(
      a => !actionsOf(build(), 'Allow').includes(a),
    );
    expect(added.sort()).toEqual([
      'iam:GetRolePolicy',
      'iam:PutRolePermissionsBoundary',
      'iam:PutRolePolicy',
    ]);
    expect(actionsOf(build({ inlinePolicies: true }), 'Allow')).not.toContain(
      'iam:PutRolePermissionsBoundary',
    );
    expect(
      actionsOf(build({ permissionsBoundaryArn: BOUNDARY }), 'Allow'),
    ).not.toContain('iam:PutRolePolicy');
    expect(JSON.stringify(all)).not.toMatch(
      /DeleteRolePermissionsBoundary|PassRole|Untag/,
    );
  });

  it('writes inline policies and the boundary only onto roles it owns, only with the boundary', () => {
    const owned = {
      'aws:ResourceTag/backstage-irsa:managed-by': 'backstage-irsa',
    };
    expect(
      statement(
        build({ inlinePolicies: true }),
        'PutInlinePoliciesOnOwnedRoles',
      ),
    ).toEqual({
      Sid: 'PutInlinePoliciesOnOwnedRoles',
      Effect: 'Allow',
      Action: 'iam:PutRolePolicy',
      Resource: 'arn:aws:iam::*:role/irsa/irsa-*',
      Condition: { StringEquals: owned },
    });
    const bounded = build({
      inlinePolicies: true,
      permissionsBoundaryArn: BOUNDARY,
    });
    const ownedAndBounded = {
      StringEquals: { ...owned, 'iam:PermissionsBoundary': BOUNDARY },
    };
    expect(
      statement(bounded, 'PutInlinePoliciesOnOwnedRoles').Condition,
    ).toEqual(ownedAndBounded);
    expect(statement(bounded, 'RestoreBoundaryOfOwnedRoles')).toEqual({
      Sid: 'RestoreBoundaryOfOwnedRoles',
      Effect: 'Allow',
      Action: 'iam:PutRolePermissionsBoundary',
      Resource: 'arn:aws:iam::*:role/irsa/irsa-*',
      Condition: ownedAndBounded,
    });
    expect(statement(bounded, 'ListPoliciesOfIrsaRoles')).toEqual({
      Sid: 'ListPoliciesOfIrsaRoles',
      Effect: 'Allow',
      Action: ['iam:GetRolePolicy', 'iam:ListAttachedRolePolicies'],
      Resource: 'arn:aws:iam::*:role/irsa/irsa-*',
    });
  });

  it('confines role writes to the path and prefix, with the path in the ARN', () => {
    const doc = build();
    for (const sid of [
      'ListPoliciesOfIrsaRoles',
      'CreateIrsaRolesOwnedAndBounded',
      'TagIrsaRolesOnCreate',
      'UpdateTrustOfOwnedRoles',
      'RetireOwnedRoles',
      'AttachAllowedPoliciesToOwnedRoles',
    ]) {
      expect(statement(doc, sid).Resource).toBe(
        'arn:aws:iam::*:role/irsa/irsa-*',
      );
    }
    expect(
      statement(
        build({ rolePath: '/', roleNamePrefix: '' }),
        'CreateIrsaRolesOwnedAndBounded',
      ).Resource,
    ).toBe('arn:aws:iam::*:role/*');
  });

  it('creates and tags only with the ownership tag and our tag keys', () => {
    const doc = build();
    const tagRules = {
      StringEquals: {
        'aws:RequestTag/backstage-irsa:managed-by': 'backstage-irsa',
      },
      'ForAllValues:StringEquals': {
        'aws:TagKeys': [
          'backstage-irsa:managed-by',
          'backstage-irsa:entity-ref',
        ],
      },
    };
    expect(statement(doc, 'CreateIrsaRolesOwnedAndBounded').Condition).toEqual(
      tagRules,
    );
    expect(statement(doc, 'TagIrsaRolesOnCreate').Condition).toEqual(tagRules);
    expect(statement(doc, 'CreateOidcProvidersOwned').Condition).toEqual({
      ...tagRules,
      'ForAllValues:StringEquals': {
        'aws:TagKeys': ['backstage-irsa:managed-by', 'backstage-irsa:cluster'],
      },
    });
  });

  it('changes trust, policies and audiences only of resources it owns', () => {
    const doc = build();
    const owned = {
      'aws:ResourceTag/backstage-irsa:managed-by': 'backstage-irsa',
    };
    expect(statement(doc, 'UpdateTrustOfOwnedRoles').Condition).toEqual({
      StringEquals: owned,
    });
    expect(statement(doc, 'AddAudienceToOwnedOidcProviders').Condition).toEqual(
      {
        StringEquals: owned,
      },
    );
    expect(
      statement(doc, 'AttachAllowedPoliciesToOwnedRoles').Condition,
    ).toEqual({
      StringEquals: owned,
      ArnLike: {
        'iam:PolicyARN': ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
      },
    });
  });

  it('denies re-tagging anything that already carries an ownership tag', () => {
    expect(statement(build(), 'NeverRetagOwnedResources')).toEqual({
      Sid: 'NeverRetagOwnedResources',
      Effect: 'Deny',
      Action: ['iam:TagRole', 'iam:TagOpenIDConnectProvider'],
      Resource: '*',
      Condition: {
        Null: { 'aws:ResourceTag/backstage-irsa:managed-by': 'false' },
        'ForAnyValue:StringNotEquals': {
          'aws:TagKeys': ['backstage-irsa:trust-updated-at'],
        },
      },
    });
  });

  it('lets the trust timestamp alone be tagged onto roles it owns (F16)', () => {
    expect(statement(build(), 'StampTrustUpdateOnOwnedRoles')).toEqual({
      Sid: 'StampTrustUpdateOnOwnedRoles',
      Effect: 'Allow',
      Action: 'iam:TagRole',
      Resource: 'arn:aws:iam::*:role/irsa/irsa-*',
      Condition: {
        StringEquals: {
          'aws:ResourceTag/backstage-irsa:managed-by': 'backstage-irsa',
        },
        'ForAllValues:StringEquals': {
          'aws:TagKeys': ['backstage-irsa:trust-updated-at'],
        },
      },
    });
  });

  it('requires the permissions boundary on create and on attach when one is set', () => {
    const doc = build({ permissionsBoundaryArn: BOUNDARY });
    expect(
      statement(doc, 'CreateIrsaRolesOwnedAndBounded').Condition?.StringEquals,
    ).toEqual({
      'aws:RequestTag/backstage-irsa:managed-by': 'backstage-irsa',
      'iam:PermissionsBoundary': BOUNDARY,
    });
    expect(
      statement(doc, 'AttachAllowedPoliciesToOwnedRoles').Condition
        ?.StringEquals,
    ).toEqual({
      'aws:ResourceTag/backstage-irsa:managed-by': 'backstage-irsa',
      'iam:PermissionsBoundary': BOUNDARY,
    });
    expect(JSON.stringify(build())).not.toMatch(/PermissionsBoundary/);
  });

  it('grants no AttachRolePolicy when no policy is allowed', () => {
    expect(actionsOf(build({ allowedPolicyArns: [] }), 'Allow')).not.toContain(
      'iam:AttachRolePolicy',
    );
  });

  it('writes the partition into every ARN', () => {
    const doc = build({
      partition: 'aws-cn',
      allowedPolicyArns: ['arn:aws-cn:iam::aws:policy/*ReadOnly*'],
    });
    const resources = doc.Statement.flatMap(s =>
      ([] as string[]).concat(s.Resource ?? []),
    );
    expect(
      resources.filter(r => r !== '*').every(r => r.startsWith('arn:aws-cn:')),
    ).toBe(true);
  });

  it('reports every bad input at once', () => {
    const result = buildManagerPolicy({
      partition: 'aws-mars',
      rolePath: 'irsa',
      roleNamePrefix: 'irsa*',
      permissionsBoundaryArn: 'arn:aws:iam::123456789012:role/x',
      allowedPolicyArns: ['*', 'arn:aws:iam::aws:policy/ok'],
    });
    expect(!result.ok && result.problems.map(p => p.field)).toEqual([
      'partition',
      'rolePath',
      'roleNamePrefix',
      'permissionsBoundaryArn',
      'allowedPolicyArns[0]',
      'allowedPolicyArns[1]',
    ]);
  });

  it('refuses wildcards in the path and a boundary from another partition', () => {
    const result = buildManagerPolicy({
      ...BASE,
      rolePath: '/irsa/*/',
      permissionsBoundaryArn: 'arn:aws-cn:iam::123456789012:policy/b',
    });
    expect(!result.ok && result.problems.map(p => p.message)).toEqual([
      expect.stringMatching(/contains \* or \?/),
      expect.stringMatching(/is not in partition "aws"/),
    ]);
  });
});
