import {
  awsWrites,
  BACKSTAGE_K8S_USER,
  describeSandbox,
  k8sWrites,
  tokenRequests,
  type PeerRequestsSince,
  peerRequests,
  sandboxEnv,
  uniqueName,
} from '@backstage-irsa/sandbox-test-utils';
import {
  RELIABILITY_ENTITY,
  startGuestBackend,
} from '../__testUtils__/guestBackend';

// What one /status costs upstream, read from the peers' own logs (moto's request log, the
// kube-apiserver's audit log) against the real backend in production mode: IAM, EKS and
// issuer reads come from the cache after the first, the product's own template run clears
// what it wrote so the next /status shows it at once, Refresh (`fresh=true`) reads again,
// and a re-run with nothing to change writes nothing. Serial: it counts every request.

const byAction = (seen: PeerRequestsSince) =>
  seen.aws.map(r => r.action).sort();
const backstageK8s = (seen: PeerRequestsSince) =>
  seen.k8s.filter(r => r.user === BACKSTAGE_K8S_USER);

describeSandbox('the call budget of /status', () => {
  jest.setTimeout(600_000);
  let guest: Awaited<ReturnType<typeof startGuestBackend>>;

  beforeAll(async () => {
    guest = await startGuestBackend({
      awsEndpoint: sandboxEnv().awsEndpoint,
      logName: 'call-budget-backend',
      configs: ['plugins/irsa-backend/src/serial/fixtures/call-budget.yaml'],
    });
  });

  afterAll(async () => {
    await guest?.backend.stop();
  });

  const status = async (fresh = false) => {
    const res = await guest.api(
      'GET',
      `/api/irsa/status?entityRef=${encodeURIComponent(RELIABILITY_ENTITY)}${
        fresh ? '&fresh=true' : ''
      }`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };

  it('reads IAM once, shows the template run at once, reads again on Refresh, writes nothing on a re-run', async () => {
    const id = uniqueName('budget');
    const binding = (report: any) =>
      report.bindings.find((b: any) => b.serviceAccount === id);

    // Cached before the run: the entity's report without the new ServiceAccount.
    expect(binding(await status())).toBeUndefined();
    const taskId = await guest.requestAccess(id, id);
    expect((await guest.taskState(taskId)).status).toBe('completed');

    // The run's writes cleared what they changed: the next plain /status shows them.
    const after = await status();
    expect(binding(after)).toMatchObject({ overall: 'trusted' });
    const bindings = after.bindings.length;

    // Warm: not one AWS call; per cluster one label-selected list (which also gives the
    // ServiceAccounts: none is read again), per binding its pods (field-selected).
    let mark = await peerRequests.mark();
    expect(binding(await status())).toMatchObject({ overall: 'trusted' });
    let seen = await peerRequests.since(mark);
    expect(byAction(seen)).toEqual([]);
    const k8s = backstageK8s(seen);
    expect(k8s.every(r => ['get', 'list'].includes(r.verb))).toBe(true);
    const podLists = k8s.filter(r => r.resource === 'pods');
    const saLists = k8s.filter(r => r.resource === 'serviceaccounts');
    expect(saLists.map(r => r.verb)).toEqual(['list']);
    expect(k8s).toHaveLength(1 + bindings);
    expect(podLists).toHaveLength(bindings);
    expect(
      podLists.every(r =>
        r.uri.includes('fieldSelector=spec.serviceAccountName'),
      ),
    ).toBe(true);

    // Refresh: IAM is read again, one GetRole per role, one provider read.
    mark = await peerRequests.mark();
    await status(true);
    seen = await peerRequests.since(mark);
    const actions = byAction(seen);
    expect(actions.filter(a => a === 'GetRole')).toHaveLength(
      new Set(after.bindings.map((b: any) => b.roleArn)).size,
    );
    expect(actions.filter(a => a === 'GetOpenIDConnectProvider')).toHaveLength(
      1,
    );
    expect(awsWrites(seen.aws)).toEqual([]);

    // The same request again: planned with reads only, nothing written anywhere.
    mark = await peerRequests.mark();
    const again = await guest.requestAccess(id, id);
    expect((await guest.taskState(again)).status).toBe('completed');
    seen = await peerRequests.since(mark);
    expect(awsWrites(seen.aws)).toEqual([]);
    // Only the last step's proof (aws:irsa:verify): one TokenRequest, nothing that stays.
    const k8sAgain = backstageK8s(seen);
    expect(tokenRequests(k8sAgain)).toHaveLength(1);
    expect(k8sWrites(k8sAgain).filter(r => !tokenRequests([r]).length)).toEqual(
      [],
    );
    expect(await guest.leaks()).toEqual([]);
  });
});
