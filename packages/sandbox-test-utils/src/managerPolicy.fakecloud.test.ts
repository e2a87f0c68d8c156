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

// The manager policy (buildManagerPolicy, docs/iam/) ENFORCED on live requests by fakecloud
// (--iam strict --verify-sigv4): the product's own SdkIamGateway, signed with credentials of
// the backstage-irsa-manager role obtained by sts:AssumeRole, does everything it needs, and each
// forbidden request is AccessDenied — and succeeds, byte for byte, for an allow-all role, so
// the denial is the policy's doing.
//
// fakecloud 0.51.0 builds the request context itself and differs from AWS in four places
// (fakecloud-iam src/iam_service/helpers.rs and mod.rs), so the role carries the policy in
// "fakecloud dialect" (fakecloudDialect below, its changes asserted exactly):
//   1. role ARNs are `role/<name>`, without the path  -> role resources lose the path;
//   2. iam:PolicyARN and iam:PermissionsBoundary are never populated (fail closed) -> dropped;
//   3. OIDC providers expose no aws:ResourceTag (empty) -> that condition dropped there;
//   4. CreateRole/CreateOpenIDConnectProvider with Tags authorize no Tag* action.
// What those hide is proved by managerPolicySimulated.fakecloud.test.ts, which evaluates the
// verbatim policy with AWS's request context. docs/iam/README.md "How this is proved".

import {
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  buildManagerPolicy,
  type ManagerPolicyDocument,
  type ManagerPolicyInput,
} from '@backstage-irsa/plugin-irsa-common';
import { SdkIamGateway } from '@backstage-irsa/plugin-irsa-node';
import {
  describeFakecloud,
  fakecloudRootKeys,
  type Fakecloud,
  fakecloudClientConfig,
  startFakecloud,
} from './fakecloud';

const ACCOUNT = '111111111111';
const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/irsa-boundary`;
const OURS = { 'backstage-irsa:managed-by': 'backstage-irsa' };
const ENTITY = { 'backstage-irsa:entity-ref': 'component:default/payments' };
const GUARDRAILS: ManagerPolicyInput = {
  rolePath: '/irsa/',
  roleNamePrefix: 'irsa-',
  allowedPolicyArns: [S3_READ],
  inlinePolicies: true,
};
const PRESET_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::payments-reports/*',
    },
  ],
};
const TRUST_ROOT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'sts:AssumeRole',
    },
  ],
});
const TRUST_NOBODY = JSON.stringify({ Version: '2012-10-17', Statement: [] });

type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

function tags(map: Record<string, string>) {
  return Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
}

function policyFor(input: ManagerPolicyInput): ManagerPolicyDocument {
  const result = buildManagerPolicy(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

/** The policy as fakecloud can evaluate it (see the top of the file), and what changed. */
function fakecloudDialect(doc: ManagerPolicyDocument, rolePath: string) {
  const changes: string[] = [];
  const Statement = doc.Statement.map(original => {
    const s = structuredClone(original);
    const resources = ([] as string[]).concat(s.Resource ?? []);
    const mapped = resources.map(r => r.replace(`:role${rolePath}`, ':role/'));
    if (mapped.join() !== resources.join()) {
      changes.push(`${s.Sid}: role ARN without path`);
      s.Resource = Array.isArray(s.Resource) ? mapped : mapped[0];
    }
    const onProviders = resources.every(r => r.includes(':oidc-provider/'));
    for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
      for (const key of Object.keys(keys)) {
        const unpopulated =
          key === 'iam:PolicyARN' ||
          key === 'iam:PermissionsBoundary' ||
          (onProviders && key.startsWith('aws:ResourceTag/'));
        if (unpopulated) {
          delete keys[key];
          changes.push(`${s.Sid}: without ${key}`);
        }
      }
      if (Object.keys(keys).length === 0) delete s.Condition![operator];
    }
    if (s.Condition && Object.keys(s.Condition).length === 0)
      delete s.Condition;
    return s;
  });
  return { doc: { ...doc, Statement }, changes };
}

function isDenied(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    /^AccessDenied/.test(err.name ?? '') &&
    err.$metadata?.httpStatusCode === 403
  );
}

/** `allowed`, `AccessDenied` (403 from the policy), or the other error, for one request. */
function outcome(client: IAMClient, command: () => any): Promise<string> {
  return client.send(command()).then(
    () => 'allowed',
    e =>
      isDenied(e)
        ? 'AccessDenied'
        : `${(e as Error).name}: ${(e as Error).message}`,
  );
}

describeFakecloud(
  'manager policy enforced by fakecloud (live requests)',
  () => {
    let fc: Fakecloud;
    let root: IAMClient;

    const iam = (c: Credentials) => new IAMClient(fakecloudClientConfig(fc, c));
    async function assume(roleName: string): Promise<Credentials> {
      const sts = new STSClient(fakecloudClientConfig(fc, fakecloudRootKeys()));
      const { Credentials: c } = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
          RoleSessionName: 'backstage-irsa',
        }),
      );
      return {
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretAccessKey!,
        sessionToken: c!.SessionToken,
      };
    }
    async function roleWithPolicy(name: string, policy?: object) {
      await root.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: TRUST_ROOT,
        }),
      );
      if (policy) {
        await root.send(
          new PutRolePolicyCommand({
            RoleName: name,
            PolicyName: name,
            PolicyDocument: JSON.stringify(policy),
          }),
        );
      }
    }
    async function fixtureRole(
      name: string,
      path: string,
      tagMap: Record<string, string>,
    ) {
      await root.send(
        new CreateRoleCommand({
          RoleName: name,
          Path: path,
          AssumeRolePolicyDocument: TRUST_NOBODY,
          Tags: tags(tagMap),
        }),
      );
    }

    let control: IAMClient;

    beforeAll(async () => {
      fc = await startFakecloud({ accountId: ACCOUNT, region: 'us-east-1' });
      root = iam(fakecloudRootKeys());
      await root.send(
        new CreatePolicyCommand({
          PolicyName: 'irsa-boundary',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
            ],
          }),
        }),
      );
      await roleWithPolicy('control-allow-all', {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      });
      await roleWithPolicy('control-no-policy');
      control = iam(await assume('control-allow-all'));
    }, 60_000);

    afterAll(async () => {
      await fc?.stop();
    });

    it('is really enforcing: a role without policies is denied, IAM and STS are under enforcement', async () => {
      const none = iam(await assume('control-no-policy'));
      expect(
        await outcome(
          none,
          () => new GetRoleCommand({ RoleName: 'control-no-policy' }),
        ),
      ).toBe('AccessDenied');
      // A key fakecloud does not know is refused too (--verify-sigv4), not run as nobody.
      const unknown = iam({
        accessKeyId: 'AKIAUNKNOWNKEY000000',
        secretAccessKey: 'x',
      });
      await expect(
        unknown.send(new GetRoleCommand({ RoleName: 'control-no-policy' })),
      ).rejects.toMatchObject({
        $metadata: { httpStatusCode: 403 },
      });
      // fakecloud logs which services evaluate policies; EKS is not among them.
      const surface = /IAM enforcement surface.*/.exec(fc.log())?.[0] ?? '';
      expect(surface).toMatch(/enforced=\[[^\]]*"iam"[^\]]*"sts"/);
      expect(surface).toMatch(/skipped=\[[^\]]*"eks"/);
    });

    it('pins the gaps: fakecloud denies the verbatim policy exactly where it cannot see', async () => {
      const manage = async (name: string, input: ManagerPolicyInput) => {
        await roleWithPolicy(name, policyFor(input));
        return new SdkIamGateway(iam(await assume(name)));
      };
      // 1. Role ARNs without the path: CreateRole under /irsa/ misses role/irsa/irsa-*.
      const withPath = await manage('verbatim-path', GUARDRAILS);
      await expect(
        withPath.createRole({
          name: 'irsa-v1',
          path: '/irsa/',
          trustPolicyJson: TRUST_NOBODY,
          description: 'x',
          tags: { ...OURS, ...ENTITY },
          maxSessionDurationSeconds: 3600,
        }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      // With rolePath "/" the path plays no part; aws:ResourceTag on roles is evaluated...
      const flat = await manage('verbatim-flat', {
        ...GUARDRAILS,
        rolePath: '/',
      });
      await fixtureRole('irsa-v2', '/', { ...OURS, ...ENTITY });
      await flat.updateTrustPolicy('irsa-v2', TRUST_ROOT);
      // 2. ...but iam:PolicyARN is never populated, so even an allowed policy is denied,
      await expect(flat.attachPolicy('irsa-v2', S3_READ)).rejects.toMatchObject(
        { name: 'NotAllowedError' },
      );
      // 3. providers carry no aws:ResourceTag, so AddClientID is denied on our own provider,
      const providerArn = await flat.createOidcProvider({
        url: 'https://oidc.v.test/id/1',
        clientIds: ['x'],
        tags: { ...OURS, 'backstage-irsa:cluster': 'c' },
      });
      await expect(
        flat.addOidcProviderClientId(providerArn, 'sts.amazonaws.com'),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      // 4. and iam:PermissionsBoundary is never populated, so CreateRole with the boundary is denied.
      const bounded = await manage('verbatim-bounded', {
        ...GUARDRAILS,
        rolePath: '/',
        permissionsBoundaryArn: BOUNDARY,
      });
      await expect(
        bounded.createRole({
          name: 'irsa-v3',
          path: '/',
          trustPolicyJson: TRUST_NOBODY,
          description: 'x',
          tags: { ...OURS, ...ENTITY },
          permissionsBoundaryArn: BOUNDARY,
          maxSessionDurationSeconds: 3600,
        }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      await flat.createRole({
        name: 'irsa-v4',
        path: '/',
        trustPolicyJson: TRUST_NOBODY,
        description: 'x',
        tags: { ...OURS, ...ENTITY },
        maxSessionDurationSeconds: 3600,
      });
    });

    describe.each([
      { variant: 'without a permissions boundary', input: GUARDRAILS, n: 'a' },
      {
        variant: 'with a permissions boundary',
        input: { ...GUARDRAILS, permissionsBoundaryArn: BOUNDARY },
        n: 'b',
      },
    ])('$variant', ({ input, n }) => {
      let manager: IAMClient;
      const role = `irsa-payments-${n}`;
      const owned = `irsa-owned-${n}`;
      const doomed = `irsa-doomed-${n}`;
      const inPathForeign = `irsa-foreign-${n}`;
      const otherProduct = `irsa-other-product-${n}`;
      const outside = `payments-prod-${n}`;
      const unownedForResidual = `irsa-unowned-${n}`;
      // Roles the forbidden retirement calls aim at, each with a policy attached and an
      // inline one, so the allow-all control can detach, delete and delete them in turn.
      const retireForeign = `irsa-foreign-retire-${n}`;
      const retireOtherProduct = `irsa-other-retire-${n}`;
      const retireOutside = `prod-retire-${n}`;
      const issuer = `https://oidc.cluster-${n}.test/id/0123456789ABCDEF`;
      const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.slice(
        'https://'.length,
      )}`;

      const dialect = fakecloudDialect(policyFor(input), input.rolePath);

      beforeAll(async () => {
        await roleWithPolicy(`backstage-irsa-manager-${n}`, dialect.doc);
        manager = iam(await assume(`backstage-irsa-manager-${n}`));
        await fixtureRole(owned, '/irsa/', { ...OURS, ...ENTITY });
        await root.send(
          new AttachRolePolicyCommand({ RoleName: owned, PolicyArn: S3_READ }),
        );
        await root.send(
          new PutRolePolicyCommand({
            RoleName: owned,
            PolicyName: 'preset-s3',
            PolicyDocument: JSON.stringify(PRESET_POLICY),
          }),
        );
        await fixtureRole(doomed, '/irsa/', { ...OURS, ...ENTITY });
        await fixtureRole(inPathForeign, '/irsa/', {});
        await fixtureRole(otherProduct, '/irsa/', {
          'backstage-irsa:managed-by': 'other-product',
        });
        await fixtureRole(outside, '/prod/', {});
        await fixtureRole(unownedForResidual, '/irsa/', {});
        for (const [name, path, tagMap] of [
          [retireForeign, '/irsa/', {}],
          [
            retireOtherProduct,
            '/irsa/',
            { 'backstage-irsa:managed-by': 'other-product' },
          ],
          // Tagged as ours, but outside the path and prefix.
          [retireOutside, '/prod/', { ...OURS, ...ENTITY }],
        ] as Array<[string, string, Record<string, string>]>) {
          await fixtureRole(name, path, tagMap);
          await root.send(
            new AttachRolePolicyCommand({ RoleName: name, PolicyArn: S3_READ }),
          );
          await root.send(
            new PutRolePolicyCommand({
              RoleName: name,
              PolicyName: 'preset-s3',
              PolicyDocument: JSON.stringify(PRESET_POLICY),
            }),
          );
        }
      }, 30_000);

      it('carries the policy changed only where fakecloud cannot see', () => {
        const bounded = Boolean(input.permissionsBoundaryArn);
        expect(dialect.changes).toEqual([
          'ListPoliciesOfIrsaRoles: role ARN without path',
          'CreateIrsaRolesOwnedAndBounded: role ARN without path',
          ...(bounded
            ? [
                'CreateIrsaRolesOwnedAndBounded: without iam:PermissionsBoundary',
              ]
            : []),
          'TagIrsaRolesOnCreate: role ARN without path',
          'StampTrustUpdateOnOwnedRoles: role ARN without path',
          'UpdateTrustOfOwnedRoles: role ARN without path',
          'RetireOwnedRoles: role ARN without path',
          'AttachAllowedPoliciesToOwnedRoles: role ARN without path',
          ...(bounded
            ? [
                'AttachAllowedPoliciesToOwnedRoles: without iam:PermissionsBoundary',
              ]
            : []),
          'AttachAllowedPoliciesToOwnedRoles: without iam:PolicyARN',
          'PutInlinePoliciesOnOwnedRoles: role ARN without path',
          ...(bounded
            ? [
                'PutInlinePoliciesOnOwnedRoles: without iam:PermissionsBoundary',
                'RestoreBoundaryOfOwnedRoles: role ARN without path',
                'RestoreBoundaryOfOwnedRoles: without iam:PermissionsBoundary',
              ]
            : []),
          'AddAudienceToOwnedOidcProviders: without aws:ResourceTag/backstage-irsa:managed-by',
        ]);
      });

      it("lets the product's own IAM calls through", async () => {
        const gw = new SdkIamGateway(manager);
        // aws:oidc:ensure
        expect(await gw.getOidcProvider(providerArn)).toBeUndefined();
        expect(
          await gw.createOidcProvider({
            url: issuer,
            clientIds: ['sts.amazonaws.com'],
            tags: { ...OURS, 'backstage-irsa:cluster': 'sandbox' },
          }),
        ).toBe(providerArn);
        const second = await gw.createOidcProvider({
          url: `${issuer}2`,
          clientIds: ['other-audience'],
          tags: { ...OURS, 'backstage-irsa:cluster': 'sandbox' },
        });
        await gw.addOidcProviderClientId(second, 'sts.amazonaws.com');
        expect((await gw.getOidcProvider(second))?.clientIds).toContain(
          'sts.amazonaws.com',
        );
        // aws:irsa:create-role
        expect(await gw.getRole(role)).toBeUndefined();
        const created = await gw.createRole({
          name: role,
          path: '/irsa/',
          trustPolicyJson: TRUST_NOBODY,
          description: 'IRSA role (backstage-irsa)',
          tags: { ...OURS, ...ENTITY },
          permissionsBoundaryArn: input.permissionsBoundaryArn,
          maxSessionDurationSeconds: 3600,
        });
        expect(created.arn).toBe(`arn:aws:iam::${ACCOUNT}:role/irsa/${role}`);
        // the overview's orphans: the roles under the path
        expect((await gw.listRoles('/irsa/')).map(r => r.arn)).toContain(
          created.arn,
        );
        await gw.updateTrustPolicy(role, TRUST_ROOT);
        // ...and stamps the time of the trust change (F16), that key alone.
        await gw.tagRole(role, {
          'backstage-irsa:trust-updated-at': '2026-01-01T12:00:00.000Z',
        });
        expect(await gw.listAttachedPolicyArns(role)).toEqual([]);
        await gw.attachPolicy(role, S3_READ);
        expect(await gw.listAttachedPolicyArns(role)).toEqual([S3_READ]);
        // A preset's inline policy, read back to plan the next run...
        expect(await gw.getRolePolicy(role, 'preset-s3')).toBeUndefined();
        await gw.putRolePolicy(
          role,
          'preset-s3',
          JSON.stringify(PRESET_POLICY),
        );
        expect(await gw.getRolePolicy(role, 'preset-s3')).toEqual(
          PRESET_POLICY,
        );
        // ...and the configured boundary put back (a drift repair).
        if (input.permissionsBoundaryArn) {
          await gw.putRolePermissionsBoundary(
            role,
            input.permissionsBoundaryArn,
          );
        }
        const stored = await gw.getRole(role);
        expect(stored).toMatchObject({
          path: '/irsa/',
          tags: {
            ...OURS,
            ...ENTITY,
            'backstage-irsa:trust-updated-at': '2026-01-01T12:00:00.000Z',
          },
        });
        expect(stored?.permissionsBoundaryArn).toBe(
          input.permissionsBoundaryArn,
        );
        // The status card reads any role a ServiceAccount names.
        expect((await gw.getRole(outside))?.path).toBe('/prod/');
      });

      const forbidden: Array<[string, () => any]> = [
        [
          'CreateRole without the name prefix',
          () =>
            new CreateRoleCommand({
              RoleName: `payments-${n}`,
              Path: '/irsa/',
              AssumeRolePolicyDocument: TRUST_NOBODY,
              Tags: tags({ ...OURS, ...ENTITY }),
              PermissionsBoundary: input.permissionsBoundaryArn,
            }),
        ],
        [
          'CreateRole without the ownership tag',
          () =>
            new CreateRoleCommand({
              RoleName: `irsa-untagged-${n}`,
              Path: '/irsa/',
              AssumeRolePolicyDocument: TRUST_NOBODY,
              Tags: tags(ENTITY),
              PermissionsBoundary: input.permissionsBoundaryArn,
            }),
        ],
        [
          'CreateRole tagged for another product',
          () =>
            new CreateRoleCommand({
              RoleName: `irsa-theirs-${n}`,
              Path: '/irsa/',
              AssumeRolePolicyDocument: TRUST_NOBODY,
              Tags: tags({ 'backstage-irsa:managed-by': 'other-product' }),
              PermissionsBoundary: input.permissionsBoundaryArn,
            }),
        ],
        [
          'CreateRole with a tag key beyond ours',
          () =>
            new CreateRoleCommand({
              RoleName: `irsa-extra-${n}`,
              Path: '/irsa/',
              AssumeRolePolicyDocument: TRUST_NOBODY,
              Tags: tags({ ...OURS, ...ENTITY, team: 'x' }),
              PermissionsBoundary: input.permissionsBoundaryArn,
            }),
        ],
        [
          'UpdateAssumeRolePolicy on an untagged role in the path',
          () =>
            new UpdateAssumeRolePolicyCommand({
              RoleName: inPathForeign,
              PolicyDocument: TRUST_ROOT,
            }),
        ],
        [
          "UpdateAssumeRolePolicy on another product's role",
          () =>
            new UpdateAssumeRolePolicyCommand({
              RoleName: otherProduct,
              PolicyDocument: TRUST_ROOT,
            }),
        ],
        [
          'UpdateAssumeRolePolicy outside the prefix',
          () =>
            new UpdateAssumeRolePolicyCommand({
              RoleName: outside,
              PolicyDocument: TRUST_ROOT,
            }),
        ],
        [
          'AttachRolePolicy on an untagged role in the path',
          () =>
            new AttachRolePolicyCommand({
              RoleName: inPathForeign,
              PolicyArn: S3_READ,
            }),
        ],
        [
          "AttachRolePolicy on another product's role",
          () =>
            new AttachRolePolicyCommand({
              RoleName: otherProduct,
              PolicyArn: S3_READ,
            }),
        ],
        [
          'TagRole marking a role outside the prefix as ours',
          () =>
            new TagRoleCommand({
              RoleName: outside,
              Tags: tags({ ...OURS, ...ENTITY }),
            }),
        ],
        [
          "TagRole re-owning another product's role",
          () =>
            new TagRoleCommand({ RoleName: otherProduct, Tags: tags(OURS) }),
        ],
        [
          'TagRole moving our role to another entity',
          () =>
            new TagRoleCommand({
              RoleName: owned,
              Tags: tags({
                ...OURS,
                'backstage-irsa:entity-ref': 'component:default/other',
              }),
            }),
        ],
        [
          "TagRole stamping the trust time on another product's role",
          () =>
            new TagRoleCommand({
              RoleName: otherProduct,
              Tags: tags({ 'backstage-irsa:trust-updated-at': 'now' }),
            }),
        ],
        [
          'TagRole moving our role to another entity along with a trust stamp',
          () =>
            new TagRoleCommand({
              RoleName: owned,
              Tags: tags({
                'backstage-irsa:trust-updated-at': 'now',
                'backstage-irsa:entity-ref': 'component:default/other',
              }),
            }),
        ],
        [
          'PutRolePolicy on an untagged role in the path',
          () =>
            new PutRolePolicyCommand({
              RoleName: inPathForeign,
              PolicyName: 'x',
              PolicyDocument: JSON.stringify(PRESET_POLICY),
            }),
        ],
        [
          "PutRolePolicy on another product's role",
          () =>
            new PutRolePolicyCommand({
              RoleName: otherProduct,
              PolicyName: 'x',
              PolicyDocument: JSON.stringify(PRESET_POLICY),
            }),
        ],
        [
          'PutRolePolicy outside the prefix',
          () =>
            new PutRolePolicyCommand({
              RoleName: outside,
              PolicyName: 'x',
              PolicyDocument: JSON.stringify(PRESET_POLICY),
            }),
        ],
        [
          "PutRolePermissionsBoundary on another product's role",
          () =>
            new PutRolePermissionsBoundaryCommand({
              RoleName: otherProduct,
              PermissionsBoundary: BOUNDARY,
            }),
        ],
        ...(input.permissionsBoundaryArn
          ? []
          : ([
              [
                'PutRolePermissionsBoundary on our role (no boundary configured)',
                () =>
                  new PutRolePermissionsBoundaryCommand({
                    RoleName: owned,
                    PermissionsBoundary: BOUNDARY,
                  }),
              ],
            ] as Array<[string, () => any]>)),
        // Retiring (aws:irsa:delete-role) only roles tagged as ours, inside path and prefix.
        ...[
          ['an untagged role in the path', retireForeign],
          ["another product's role", retireOtherProduct],
          ['a role of ours outside the path and prefix', retireOutside],
        ].flatMap(
          ([which, name]): Array<[string, () => any]> => [
            [
              `ListRolePolicies of ${which}`,
              () => new ListRolePoliciesCommand({ RoleName: name }),
            ],
            [
              `DetachRolePolicy from ${which}`,
              () =>
                new DetachRolePolicyCommand({
                  RoleName: name,
                  PolicyArn: S3_READ,
                }),
            ],
            [
              `DeleteRolePolicy of ${which}`,
              () =>
                new DeleteRolePolicyCommand({
                  RoleName: name,
                  PolicyName: 'preset-s3',
                }),
            ],
            [
              `DeleteRole of ${which}`,
              () => new DeleteRoleCommand({ RoleName: name }),
            ],
          ],
        ),
        [
          'UntagRole on our role',
          () =>
            new UntagRoleCommand({
              RoleName: owned,
              TagKeys: ['backstage-irsa:entity-ref'],
            }),
        ],
        [
          'CreateOpenIDConnectProvider without tags',
          () =>
            new CreateOpenIDConnectProviderCommand({
              Url: `https://oidc.untagged-${n}.test/id/1`,
              ClientIDList: ['sts.amazonaws.com'],
            }),
        ],
        [
          'DeleteOpenIDConnectProvider',
          () =>
            new DeleteOpenIDConnectProviderCommand({
              OpenIDConnectProviderArn: providerArn,
            }),
        ],
      ];

      it('lets the product retire a role of its own: policies detached and deleted, then the role', async () => {
        await root.send(
          new AttachRolePolicyCommand({ RoleName: doomed, PolicyArn: S3_READ }),
        );
        await root.send(
          new PutRolePolicyCommand({
            RoleName: doomed,
            PolicyName: 'preset-s3',
            PolicyDocument: JSON.stringify(PRESET_POLICY),
          }),
        );
        // aws:irsa:delete-role, through the product's own gateway
        const gw = new SdkIamGateway(manager);
        expect(await gw.listAttachedPolicyArns(doomed)).toEqual([S3_READ]);
        expect(await gw.listRolePolicyNames(doomed)).toEqual(['preset-s3']);
        await gw.detachPolicy(doomed, S3_READ);
        await gw.deleteRolePolicy(doomed, 'preset-s3');
        await gw.deleteRole(doomed);
        expect(await gw.getRole(doomed)).toBeUndefined();
      });

      it('answers AccessDenied to everything else it must not do', async () => {
        const outcomes: Record<string, string> = {};
        for (const [what, command] of forbidden)
          outcomes[what] = await outcome(manager, command);
        expect(outcomes).toEqual(
          Object.fromEntries(forbidden.map(([what]) => [what, 'AccessDenied'])),
        );
      });

      it('control: the same requests succeed for an allow-all role, so the policy is what denied them', async () => {
        const outcomes: Record<string, string> = {};
        for (const [what, command] of forbidden)
          outcomes[what] = await outcome(control, command);
        expect(outcomes).toEqual(
          Object.fromEntries(forbidden.map(([what]) => [what, 'allowed'])),
        );
      });

      it('known limit: an untagged role inside the path can be tagged as ours (IAM cannot tell a tag-on-create from a later TagRole)', async () => {
        const tagIt = () =>
          new TagRoleCommand({
            RoleName: unownedForResidual,
            Tags: tags({ ...OURS, ...ENTITY }),
          });
        const trustIt = () =>
          new UpdateAssumeRolePolicyCommand({
            RoleName: unownedForResidual,
            PolicyDocument: TRUST_ROOT,
          });
        expect(await outcome(manager, trustIt)).toBe('AccessDenied');
        expect(await outcome(manager, tagIt)).toBe('allowed');
        expect(await outcome(manager, trustIt)).toBe('allowed');
      });
    });
  },
);
