import {
  buildTrustPolicy,
  canonicalPolicyJson,
  evaluateTrustPolicy,
  iamPolicySize,
  type PolicyDocument,
  type PolicyStatement,
  serviceAccountRequestContext,
} from '@backstage-irsa/plugin-irsa-common';
import {
  coreV1,
  describeSandbox,
  iamFor,
  peerRequests,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import {
  GetRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { countedRoleActions } from '../__testUtils__/countedRoleActions';
import { mockContext } from '../__testUtils__/mockContext';

// One role, several clusters: clusters c1 and c2 of countedRoleActions() have different
// issuers (each its own IAM OIDC provider in moto; aws:oidc:ensure needs no discovery for a
// configured oidcIssuer). A second cluster adds its own statement to the same entity's role,
// a different entity is refused, and a statement that would not fit the trust quota is
// refused before anything is written.

const ENTITY = 'component:default/ledger';

async function trustOf(accountId: string, role: string) {
  const { Role } = await iamFor(accountId).send(
    new GetRoleCommand({ RoleName: role }),
  );
  return JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
}

describeSandbox('aws:irsa:create-role for one role on two clusters', () => {
  // Real AWS and Kubernetes calls; the first ones of a run are slow on 2 busy cores.
  jest.setTimeout(120_000);
  const namespace = uniqueName('clusters');

  beforeAll(async () => {
    await coreV1().createNamespace({ body: { metadata: { name: namespace } } });
  });
  afterAll(async () => {
    await coreV1()
      .deleteNamespace({ name: namespace })
      .catch(() => undefined);
  });

  const request = (cluster: string, roleName: string) => ({
    cluster,
    namespace,
    serviceAccount: 'ledger-api',
    roleName,
    entityRef: ENTITY,
  });

  async function withProviders() {
    const t = countedRoleActions();
    for (const cluster of ['c1', 'c2']) {
      await t.oidc.handler(mockContext({ cluster, entityRef: ENTITY }));
    }
    expect(t.providerArn(0)).not.toBe(t.providerArn(1));
    return t;
  }

  it("adds the second cluster's statement, for the same entity only", async () => {
    const t = await withProviders();
    const account = t.env.clusterAccountId;
    const name = uniqueName('ledger');
    const role = `irsa-${name}`;
    await t.role.handler(mockContext(request('c1', name)));

    const mark = await peerRequests.mark();
    const second = mockContext(request('c2', name));
    await t.role.handler(second);
    expect(second.output).toHaveBeenCalledWith('created', false);
    expect((await t.requestsSince(mark, namespace)).awsWrites).toEqual([
      `UpdateAssumeRolePolicy ${role}`,
      `TagRole ${role}`,
    ]);

    const trust = await trustOf(account, role);
    expect(
      trust.Statement.map(
        (s: { Principal: { Federated: string } }) => s.Principal.Federated,
      ),
    ).toEqual([t.providerArn(0), t.providerArn(1)]);
    const decide = (providerArn: string, sa = 'ledger-api') =>
      evaluateTrustPolicy(
        trust,
        serviceAccountRequestContext({
          providerArn,
          namespace,
          serviceAccount: sa,
        }),
      ).decision;
    expect(decide(t.providerArn(0))).toBe('allow');
    expect(decide(t.providerArn(1))).toBe('allow');
    expect(decide(t.providerArn(1), 'other')).toBe('implicit-deny');

    // Another entity may not add its cluster (or anything) to this role.
    const before = await trustOf(account, role);
    const refusedMark = await peerRequests.mark();
    await expect(
      t.role.handler(
        mockContext({
          ...request('c2', name),
          serviceAccount: 'intruder',
          entityRef: 'component:default/intruder',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(`belongs to ${ENTITY}`),
    });
    expect((await t.requestsSince(refusedMark, namespace)).awsWrites).toEqual(
      [],
    );
    expect(await trustOf(account, role)).toEqual(before);
  });

  it('refuses the second cluster before any write when the trust would pass trustPolicySizeLimit', async () => {
    const t = await withProviders();
    const account = t.env.clusterAccountId;
    const name = uniqueName('full');
    const role = `irsa-${name}`;
    await t.role.handler(mockContext(request('c1', name)));

    // Fill c1's statement with ServiceAccounts (as many runs for c1 would) until it still
    // fits the 2,048-character quota alone but not with c2's statement beside it.
    const trustFor = (providerArn: string, n: number) => {
      const built = buildTrustPolicy({
        providerArn,
        subjects: [
          { namespace, name: 'ledger-api' },
          ...Array.from({ length: n }, (_, i) => ({
            namespace,
            name: `ledger-worker-${i}`,
          })),
        ],
      });
      if (!built.ok) throw new Error(JSON.stringify(built.problems));
      return built.value;
    };
    const statementsOf = (doc: PolicyDocument) =>
      ([] as PolicyStatement[]).concat(doc.Statement);
    const c2Statements = statementsOf(trustFor(t.providerArn(1), 0));
    const size = (n: number, withC2: boolean) =>
      iamPolicySize(
        canonicalPolicyJson({
          Version: '2012-10-17',
          Statement: [
            ...statementsOf(trustFor(t.providerArn(0), n)),
            ...(withC2 ? c2Statements : []),
          ],
        }),
      );
    let n = 0;
    while (size(n, true) <= 2048) n += 1;
    expect(size(n, false)).toBeLessThanOrEqual(2048);
    await iamFor(account).send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: role,
        PolicyDocument: canonicalPolicyJson(trustFor(t.providerArn(0), n)),
      }),
    );
    const before = await trustOf(account, role);

    const mark = await peerRequests.mark();
    await expect(
      t.role.handler(mockContext(request('c2', name))),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /trustPolicy: The trust policy is \d+ characters as IAM counts them \(white space excluded\): the role trust policy quota is 2048\..*\[F18: /,
      ),
    });
    expect((await t.requestsSince(mark, namespace)).awsWrites).toEqual([]);
    expect(await trustOf(account, role)).toEqual(before);
  });
});
