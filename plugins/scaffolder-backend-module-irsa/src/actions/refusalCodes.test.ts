import {
  awsWrites,
  describeSandbox,
  iamFor,
  peerRequests,
  setRoleTrust,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { mockContext } from '../__testUtils__/mockContext';
import { roleActions } from '../__testUtils__/roleActions';

// The codes the actions refuse with are the card's (F18, F22): the task log and the card
// point to the same troubleshooting section. Against the sandbox, counting from moto's
// request log what each refusal sent to AWS.

async function storedTrust(accountId: string, roleName: string) {
  const { Role } = await iamFor(accountId).send(
    new GetRoleCommand({ RoleName: roleName }),
  );
  return JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
}

describeSandbox('action refusals carry the catalogue codes', () => {
  jest.setTimeout(60_000);

  it('F18: a ServiceAccount that would take the trust past 2,048 characters is refused, with no write', async () => {
    const { env, hostPath, oidc, role } = roleActions();
    const entityRef = 'component:default/test-service';
    await oidc.handler(mockContext({ entityRef, cluster: 'c1' }));
    const base = {
      entityRef,
      cluster: 'c1',
      namespace: 'payments',
      roleName: uniqueName('full'),
    };
    await role.handler(mockContext({ ...base, serviceAccount: 'api' }));
    const roleName = `irsa-${base.roleName}`;

    // The role already trusts as many workers as fit, as years of "add one more" leave it.
    const trust = await storedTrust(env.clusterAccountId, roleName);
    const conditions = trust.Statement[0].Condition.StringEquals;
    const subKey = Object.keys(conditions).find(k => k.endsWith(':sub'))!;
    const subjects = ['system:serviceaccount:payments:api'];
    for (let i = 0; JSON.stringify(trust).length < 1990; i++) {
      subjects.push(`system:serviceaccount:payments:worker-${i}`);
      conditions[subKey] = [...subjects];
    }
    expect(JSON.stringify(trust).length).toBeLessThanOrEqual(2048);
    await setRoleTrust(env.clusterAccountId, roleName, trust);
    const before = await storedTrust(env.clusterAccountId, roleName);

    const mark = await peerRequests.mark();
    const error = await role
      .handler(
        mockContext({ ...base, serviceAccount: 'settlement-reconciler' }),
      )
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /The trust policy is 20[5-9]\d characters as IAM counts them \(white space excluded\): the role trust policy quota is 2048\./,
    );
    expect(error.message).toContain('[F18: docs/troubleshooting.md#f18]');

    const ours = (await peerRequests.since(mark)).aws.filter(
      r => r.roleName === roleName,
    );
    expect(ours.map(r => r.action)).toContain('GetRole'); // the log saw the plan's reads
    expect(awsWrites(ours)).toEqual([]);
    expect(await storedTrust(env.clusterAccountId, roleName)).toEqual(before);

    // Once the platform team records the raised quota, the same request goes through.
    const raised = roleActions({
      hostPath,
      guardrails: { trustPolicySizeLimit: 4096 },
    });
    const plan = await raised.irsaService.roles.plan({
      ...base,
      serviceAccount: 'settlement-reconciler',
    });
    expect(plan).toMatchObject({ state: 'update', trustChanged: true });
    expect(JSON.parse(plan.trustPolicyJson).Statement).toHaveLength(1);
  });

  it('F22: a role name too long with its prefix is refused before any AWS request', async () => {
    const { role } = roleActions();
    const bare = `too-long-${'x'.repeat(55)}`;
    const mark = await peerRequests.mark();
    const error = await role
      .handler(
        mockContext({
          entityRef: 'component:default/test-service',
          cluster: 'c1',
          namespace: 'payments',
          serviceAccount: 'api',
          roleName: bare,
        }),
      )
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toContain('IAM allows at most 64');
    expect(error.message).toContain('[F22: docs/troubleshooting.md#f22]');
    const ours = (await peerRequests.since(mark)).aws.filter(r =>
      JSON.stringify(r).includes(bare),
    );
    expect(ours).toEqual([]);
  });
});
