/*
 * Copyright 2026 The backstage-irsa Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// The VERBATIM manager policy (what platform teams attach) evaluated by fakecloud's IAM
// evaluator — the same code that enforces its live requests — through SimulateCustomPolicy,
// with the resource ARNs and condition keys AWS puts in each request (Service Authorization
// Reference, IAM): role ARNs with their path; CreateRole: aws:RequestTag/*, aws:TagKeys,
// iam:PermissionsBoundary; TagRole: the same plus the role's aws:ResourceTag/* (none while it
// is being created); AttachRolePolicy: iam:PolicyARN, iam:PermissionsBoundary (the role's) and
// aws:ResourceTag/*; PutRolePolicy: iam:PermissionsBoundary (the role's) and aws:ResourceTag/*;
// PutRolePermissionsBoundary: iam:PermissionsBoundary (the one being set) and
// aws:ResourceTag/*; GetRolePolicy: none; UpdateAssumeRolePolicy and AddClientIDToOpenIDConnectProvider:
// aws:ResourceTag/*; CreateOpenIDConnectProvider: aws:RequestTag/*, aws:TagKeys; DeleteRole,
// DeleteRolePolicy and ListRolePolicies: aws:ResourceTag/*; DetachRolePolicy: iam:PolicyARN and
// aws:ResourceTag/*.
// This covers what live enforcement cannot (managerPolicy.fakecloud.test.ts, top comment); the
// context is ours to write, so it proves the policy's logic, not how AWS fills the context.

import {
  ContextEntry,
  IAMClient,
  SimulateCustomPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  buildManagerPolicy,
  type ManagerPolicyInput,
} from '@backstage-irsa/plugin-irsa-common';
import {
  describeFakecloud,
  fakecloudRootKeys,
  type Fakecloud,
  fakecloudClientConfig,
  startFakecloud,
} from './fakecloud';

const ACCOUNT = '111111111111';
const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const SQS_FULL = 'arn:aws:iam::aws:policy/AmazonSQSFullAccess';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/irsa-boundary`;
const GUARDRAILS: ManagerPolicyInput = {
  rolePath: '/irsa/',
  roleNamePrefix: 'irsa-',
  allowedPolicyArns: [S3_READ, SQS_FULL],
  inlinePolicies: true,
};
const role = (pathAndName: string) =>
  `arn:aws:iam::${ACCOUNT}:role/${pathAndName}`;
const OUR_ROLE = role('irsa/irsa-payments');
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF`;
const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

type Context = Record<string, string>;
const REQ_OURS: Context = {
  'aws:RequestTag/backstage-irsa:managed-by': 'backstage-irsa',
  'aws:RequestTag/backstage-irsa:entity-ref': 'component:default/payments',
};
const REQ_PROVIDER: Context = {
  'aws:RequestTag/backstage-irsa:managed-by': 'backstage-irsa',
  'aws:RequestTag/backstage-irsa:cluster': 'sandbox',
};
const RES_OURS: Context = {
  'aws:ResourceTag/backstage-irsa:managed-by': 'backstage-irsa',
};
const RES_THEIRS: Context = {
  'aws:ResourceTag/backstage-irsa:managed-by': 'other-product',
};
const REQ_TRUST_STAMP: Context = {
  'aws:RequestTag/backstage-irsa:trust-updated-at': '2026-01-01T12:00:00.000Z',
};

type Case = [what: string, action: string, resource: string, context: Context];

/** What the product does, with the context AWS would evaluate; `b` = the boundary context. */
function allowedCases(b: Context): Case[] {
  return [
    [
      'read any role (status card)',
      'iam:GetRole',
      role('prod/payments-prod'),
      {},
    ],
    ['read our role', 'iam:GetRole', OUR_ROLE, {}],
    ['read a provider', 'iam:GetOpenIDConnectProvider', PROVIDER, {}],
    ['list policies of our role', 'iam:ListAttachedRolePolicies', OUR_ROLE, {}],
    ['create our role', 'iam:CreateRole', OUR_ROLE, { ...REQ_OURS, ...b }],
    ['tag it while creating it', 'iam:TagRole', OUR_ROLE, REQ_OURS],
    [
      'stamp the trust update time on our role',
      'iam:TagRole',
      OUR_ROLE,
      { ...REQ_TRUST_STAMP, ...RES_OURS },
    ],
    [
      'rewrite trust of our role',
      'iam:UpdateAssumeRolePolicy',
      OUR_ROLE,
      RES_OURS,
    ],
    [
      'attach an allowed policy',
      'iam:AttachRolePolicy',
      OUR_ROLE,
      { ...RES_OURS, ...b, 'iam:PolicyARN': S3_READ },
    ],
    [
      'attach another allowed policy',
      'iam:AttachRolePolicy',
      OUR_ROLE,
      { ...RES_OURS, ...b, 'iam:PolicyARN': SQS_FULL },
    ],
    [
      "read a preset's inline policy of our role",
      'iam:GetRolePolicy',
      OUR_ROLE,
      {},
    ],
    // aws:irsa:delete-role: any attached policy, also from a role that lost its boundary.
    [
      'list the inline policies of our role',
      'iam:ListRolePolicies',
      OUR_ROLE,
      RES_OURS,
    ],
    [
      'detach any policy from our role',
      'iam:DetachRolePolicy',
      OUR_ROLE,
      { ...RES_OURS, 'iam:PolicyARN': ADMIN },
    ],
    [
      'delete an inline policy of our role',
      'iam:DeleteRolePolicy',
      OUR_ROLE,
      RES_OURS,
    ],
    ['delete our role', 'iam:DeleteRole', OUR_ROLE, RES_OURS],
    [
      "write a preset's inline policy onto our role",
      'iam:PutRolePolicy',
      OUR_ROLE,
      { ...RES_OURS, ...b },
    ],
    ...(b['iam:PermissionsBoundary']
      ? ([
          [
            'put the configured boundary back on our role',
            'iam:PutRolePermissionsBoundary',
            OUR_ROLE,
            { ...RES_OURS, ...b },
          ],
        ] as Case[])
      : []),
    [
      'create a provider',
      'iam:CreateOpenIDConnectProvider',
      PROVIDER,
      REQ_PROVIDER,
    ],
    [
      'tag it while creating it',
      'iam:TagOpenIDConnectProvider',
      PROVIDER,
      REQ_PROVIDER,
    ],
    [
      'add the audience to our provider',
      'iam:AddClientIDToOpenIDConnectProvider',
      PROVIDER,
      RES_OURS,
    ],
    [
      'describe the EKS cluster',
      'eks:DescribeCluster',
      `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/sandbox`,
      {},
    ],
    [
      "list a ServiceAccount's Pod Identity associations",
      'eks:ListPodIdentityAssociations',
      `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/sandbox`,
      {},
    ],
    // ListRoles has no resource type: IAM evaluates it against "*".
    [
      "list the roles under the path (the overview's orphans)",
      'iam:ListRoles',
      '*',
      {},
    ],
  ];
}

/** What it must not do, each with the richest context that could have allowed it. */
function deniedCases(b: Context, bounded: boolean): Case[] {
  const ownedAndBounded = { ...RES_OURS, ...b };
  return [
    [
      'CreateRole outside the path',
      'iam:CreateRole',
      role('irsa-payments'),
      { ...REQ_OURS, ...b },
    ],
    [
      'CreateRole under another path',
      'iam:CreateRole',
      role('team/irsa-payments'),
      { ...REQ_OURS, ...b },
    ],
    [
      'CreateRole without the prefix',
      'iam:CreateRole',
      role('irsa/payments'),
      { ...REQ_OURS, ...b },
    ],
    [
      'CreateRole without the ownership tag',
      'iam:CreateRole',
      OUR_ROLE,
      {
        'aws:RequestTag/backstage-irsa:entity-ref':
          'component:default/payments',
        ...b,
      },
    ],
    [
      'CreateRole tagged for another product',
      'iam:CreateRole',
      OUR_ROLE,
      { 'aws:RequestTag/backstage-irsa:managed-by': 'other-product', ...b },
    ],
    [
      'CreateRole with a tag key beyond ours',
      'iam:CreateRole',
      OUR_ROLE,
      { ...REQ_OURS, 'aws:RequestTag/team': 'x', ...b },
    ],
    ...(bounded
      ? ([
          [
            'CreateRole without the boundary',
            'iam:CreateRole',
            OUR_ROLE,
            REQ_OURS,
          ],
          [
            'CreateRole with another boundary',
            'iam:CreateRole',
            OUR_ROLE,
            {
              ...REQ_OURS,
              'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/wide-open`,
            },
          ],
          [
            'AttachRolePolicy onto our role lacking the boundary',
            'iam:AttachRolePolicy',
            OUR_ROLE,
            { ...RES_OURS, 'iam:PolicyARN': S3_READ },
          ],
          [
            'PutRolePolicy onto our role lacking the boundary',
            'iam:PutRolePolicy',
            OUR_ROLE,
            RES_OURS,
          ],
          [
            'PutRolePermissionsBoundary of another boundary on our role',
            'iam:PutRolePermissionsBoundary',
            OUR_ROLE,
            {
              ...RES_OURS,
              'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/wide-open`,
            },
          ],
          [
            'PutRolePermissionsBoundary on an untagged role in the path',
            'iam:PutRolePermissionsBoundary',
            role('irsa/irsa-foreign'),
            b,
          ],
          [
            "PutRolePermissionsBoundary on another product's role",
            'iam:PutRolePermissionsBoundary',
            role('irsa/irsa-foreign'),
            { ...RES_THEIRS, ...b },
          ],
        ] as Case[])
      : ([
          [
            'PutRolePermissionsBoundary on our role (no boundary configured)',
            'iam:PutRolePermissionsBoundary',
            OUR_ROLE,
            {
              ...RES_OURS,
              'iam:PermissionsBoundary': BOUNDARY,
            },
          ],
        ] as Case[])),
    [
      'PutRolePolicy on an untagged role in the path',
      'iam:PutRolePolicy',
      role('irsa/irsa-foreign'),
      b,
    ],
    [
      "PutRolePolicy on another product's role",
      'iam:PutRolePolicy',
      role('irsa/irsa-foreign'),
      { ...RES_THEIRS, ...b },
    ],
    [
      'PutRolePolicy outside the path',
      'iam:PutRolePolicy',
      role('prod/payments-prod'),
      { ...RES_OURS, ...b },
    ],
    [
      'GetRolePolicy outside the path',
      'iam:GetRolePolicy',
      role('prod/payments-prod'),
      {},
    ],
    [
      'UpdateAssumeRolePolicy on an untagged role in the path',
      'iam:UpdateAssumeRolePolicy',
      role('irsa/irsa-foreign'),
      {},
    ],
    [
      "UpdateAssumeRolePolicy on another product's role",
      'iam:UpdateAssumeRolePolicy',
      role('irsa/irsa-foreign'),
      RES_THEIRS,
    ],
    [
      'UpdateAssumeRolePolicy outside the path',
      'iam:UpdateAssumeRolePolicy',
      role('prod/payments-prod'),
      RES_OURS,
    ],
    [
      'AttachRolePolicy of AdministratorAccess',
      'iam:AttachRolePolicy',
      OUR_ROLE,
      { ...ownedAndBounded, 'iam:PolicyARN': ADMIN },
    ],
    [
      'AttachRolePolicy on an untagged role in the path',
      'iam:AttachRolePolicy',
      role('irsa/irsa-foreign'),
      { ...b, 'iam:PolicyARN': S3_READ },
    ],
    [
      "AttachRolePolicy on another product's role",
      'iam:AttachRolePolicy',
      role('irsa/irsa-foreign'),
      { ...RES_THEIRS, ...b, 'iam:PolicyARN': S3_READ },
    ],
    [
      "TagRole stamping the trust time on another product's role",
      'iam:TagRole',
      OUR_ROLE,
      { ...REQ_TRUST_STAMP, ...RES_THEIRS },
    ],
    [
      'TagRole stamping the trust time on a role outside the path',
      'iam:TagRole',
      role('prod/payments-prod'),
      { ...REQ_TRUST_STAMP, ...RES_OURS },
    ],
    [
      'TagRole marking a role outside the path as ours',
      'iam:TagRole',
      role('prod/payments-prod'),
      REQ_OURS,
    ],
    [
      'TagRole with a tag key beyond ours',
      'iam:TagRole',
      OUR_ROLE,
      { ...REQ_OURS, 'aws:RequestTag/team': 'x' },
    ],
    [
      'AddClientID on a provider we did not create',
      'iam:AddClientIDToOpenIDConnectProvider',
      PROVIDER,
      {},
    ],
    [
      "AddClientID on another product's provider",
      'iam:AddClientIDToOpenIDConnectProvider',
      PROVIDER,
      RES_THEIRS,
    ],
    [
      'CreateOpenIDConnectProvider without tags',
      'iam:CreateOpenIDConnectProvider',
      PROVIDER,
      {},
    ],
    // Retiring only roles tagged as ours, inside the path and prefix.
    ...(
      [
        ['an untagged role in the path', role('irsa/irsa-foreign'), {}],
        ["another product's role", role('irsa/irsa-foreign'), RES_THEIRS],
        ['a role outside the path', role('prod/payments-prod'), RES_OURS],
        ['a role without the prefix', role('irsa/payments'), RES_OURS],
      ] as Array<[string, string, Context]>
    ).flatMap(([which, arn, context]) =>
      [
        'iam:ListRolePolicies',
        'iam:DetachRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:DeleteRole',
      ].map(
        (action): Case => [
          `${action.slice(4)} on ${which}`,
          action,
          arn,
          action === 'iam:DetachRolePolicy'
            ? { ...context, 'iam:PolicyARN': S3_READ }
            : context,
        ],
      ),
    ),
    ...[
      'iam:UntagRole',
      'iam:UpdateRole',
      'iam:DeleteRolePermissionsBoundary',
      'iam:PassRole',
      'iam:CreateServiceLinkedRole',
    ].map(
      (action): Case => [
        action,
        action,
        OUR_ROLE,
        { ...ownedAndBounded, ...REQ_OURS, 'iam:PolicyARN': S3_READ },
      ],
    ),
    ...[
      'iam:DeleteOpenIDConnectProvider',
      'iam:RemoveClientIDFromOpenIDConnectProvider',
      'iam:UpdateOpenIDConnectProviderThumbprint',
      'iam:UntagOpenIDConnectProvider',
    ].map((action): Case => [action, action, PROVIDER, RES_OURS]),
    ...[
      'iam:CreatePolicy',
      'iam:CreateUser',
      'iam:CreateAccessKey',
      'sts:AssumeRole',
      'eks:CreateCluster',
      'eks:UpdateClusterConfig',
    ].map((action): Case => [action, action, '*', {}]),
  ];
}

/** Denied by the explicit Deny (so no other statement may ever allow them). */
const EXPLICIT_DENIALS: Case[] = [
  [
    "TagRole re-owning another product's role",
    'iam:TagRole',
    OUR_ROLE,
    { ...REQ_OURS, ...RES_THEIRS },
  ],
  [
    'TagRole moving our role to another entity',
    'iam:TagRole',
    OUR_ROLE,
    { ...REQ_OURS, ...RES_OURS },
  ],
  [
    'TagRole moving our role to another entity along with a trust stamp',
    'iam:TagRole',
    OUR_ROLE,
    {
      ...REQ_TRUST_STAMP,
      'aws:RequestTag/backstage-irsa:entity-ref': 'component:default/other',
      ...RES_OURS,
    },
  ],
  [
    "TagOpenIDConnectProvider re-owning another product's provider",
    'iam:TagOpenIDConnectProvider',
    PROVIDER,
    { ...REQ_PROVIDER, ...RES_THEIRS },
  ],
];

/** The context entries, with aws:TagKeys (the request's tag keys) as AWS adds it. */
function entries(context: Context): ContextEntry[] {
  const tagKeys = Object.keys(context)
    .filter(k => k.startsWith('aws:RequestTag/'))
    .map(k => k.slice('aws:RequestTag/'.length));
  return [
    ...Object.entries(context).map(([ContextKeyName, value]) => ({
      ContextKeyName,
      ContextKeyValues: [value],
      ContextKeyType: 'string' as const,
    })),
    ...(tagKeys.length
      ? [
          {
            ContextKeyName: 'aws:TagKeys',
            ContextKeyValues: tagKeys,
            ContextKeyType: 'stringList' as const,
          },
        ]
      : []),
  ];
}

describeFakecloud(
  'manager policy evaluated by fakecloud with AWS request context (simulated)',
  () => {
    let fc: Fakecloud;
    let iam: IAMClient;

    beforeAll(async () => {
      fc = await startFakecloud({ accountId: ACCOUNT, region: 'us-east-1' });
      iam = new IAMClient(fakecloudClientConfig(fc, fakecloudRootKeys()));
    }, 60_000);

    afterAll(async () => {
      await fc?.stop();
    });

    async function decide(
      policyJson: string,
      [, action, resource, context]: Case,
    ) {
      const out = await iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [policyJson],
          ActionNames: [action],
          ResourceArns: [resource],
          ContextEntries: entries(context),
        }),
      );
      return out.EvaluationResults?.[0]?.EvalDecision ?? 'no result';
    }

    async function decisions(policyJson: string, cases: Case[]) {
      const result: Record<string, string> = {};
      for (const c of cases)
        result[`${c[0]} (${c[1]})`] = await decide(policyJson, c);
      return result;
    }
    const expecting = (cases: Case[], decision: string) =>
      Object.fromEntries(cases.map(c => [`${c[0]} (${c[1]})`, decision]));

    describe.each([
      { variant: 'without a permissions boundary', input: GUARDRAILS },
      {
        variant: 'with a permissions boundary',
        input: { ...GUARDRAILS, permissionsBoundaryArn: BOUNDARY },
      },
    ])('$variant', ({ input }) => {
      const result = buildManagerPolicy(input);
      const policyJson = result.ok ? JSON.stringify(result.value) : '';
      const bounded = Boolean(input.permissionsBoundaryArn);
      const b: Context = bounded ? { 'iam:PermissionsBoundary': BOUNDARY } : {};

      it('allows every call the product makes', async () => {
        expect(result.ok).toBe(true);
        const cases = allowedCases(b);
        expect(await decisions(policyJson, cases)).toEqual(
          expecting(cases, 'allowed'),
        );
      });

      it('denies everything it must not do', async () => {
        const cases = deniedCases(b, bounded);
        expect(await decisions(policyJson, cases)).toEqual(
          expecting(cases, 'implicitDeny'),
        );
        expect(await decisions(policyJson, EXPLICIT_DENIALS)).toEqual(
          expecting(EXPLICIT_DENIALS, 'explicitDeny'),
        );
      });

      it('control: an allow-all policy allows the same requests, so the policy is what denies them', async () => {
        const cases = [...deniedCases(b, bounded), ...EXPLICIT_DENIALS];
        expect(await decisions(ALLOW_ALL, cases)).toEqual(
          expecting(cases, 'allowed'),
        );
      });

      it('grants no inline policy reads or writes when no preset has an inline policy', async () => {
        const without = buildManagerPolicy({ ...input, inlinePolicies: false });
        const json = without.ok ? JSON.stringify(without.value) : '';
        const cases: Case[] = [
          ['GetRolePolicy on our role', 'iam:GetRolePolicy', OUR_ROLE, {}],
          [
            'PutRolePolicy on our role',
            'iam:PutRolePolicy',
            OUR_ROLE,
            { ...RES_OURS, ...b },
          ],
        ];
        expect(await decisions(json, cases)).toEqual(
          expecting(cases, 'implicitDeny'),
        );
      });

      it('known limit: TagRole on an untagged role in the path looks like tagging while creating', async () => {
        const tagUnowned: Case = [
          'TagRole on an untagged role in the path',
          'iam:TagRole',
          role('irsa/irsa-foreign'),
          REQ_OURS,
        ];
        expect(await decide(policyJson, tagUnowned)).toBe('allowed');
      });
    });
  },
);
