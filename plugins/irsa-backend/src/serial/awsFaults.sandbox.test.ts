import {
  describeSandbox,
  type FaultProxy,
  sandboxAppConfig,
  sandboxEnv,
  findSecrets,
  startFaultProxy,
  writeReliabilityBlock,
} from '@backstage-irsa/sandbox-test-utils';
import { REPO_ROOT } from '../__testUtils__/guestBackend';
import { sandboxBinding } from '../__testUtils__/sandboxBinding';

// The card when AWS throttles, slows, stops or hangs: every AWS call of this file goes through
// a fault-injecting proxy in front of the sandbox's moto (AWS_ENDPOINT_URL, this Jest worker
// only; serial, as it writes its tally to docs/reliability.md). Kubernetes stays up, so the checks that read only the cluster must stay right.
// Time is bounded by irsa.aws (1 s to connect, 2 s per attempt, 3 attempts), which these
// tests set low; how long a call takes is for the benchmarks, not asserted here.

const config = sandboxAppConfig({
  guardrails: { roleNamePrefix: 'irsa-', rolePath: '/irsa/' },
  irsa: {
    aws: { connectTimeoutSeconds: 1, requestTimeoutSeconds: 2, maxAttempts: 3 },
  },
});

describeSandbox('the card when AWS misbehaves', () => {
  jest.setTimeout(120_000);
  let proxy: FaultProxy;
  let endpointBefore: string | undefined;
  /** What this suite injected and saw, for docs/reliability.md. */
  let outages = 0;
  let answered = 0;
  let leaks = 0;

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEnv().awsEndpoint);
    endpointBefore = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = proxy.url;
  });

  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = endpointBefore;
    const { throttled, hung } = proxy?.stats ?? { throttled: 0, hung: 0 };
    await proxy?.close();
    await writeReliabilityBlock(
      REPO_ROOT,
      'aws-faults',
      `**${throttled} throttling answers, ${outages} outage(s) and ${hung} requests left hanging injected**; the card answered ${answered} times while AWS misbehaved; secrets found in those answers: ${leaks}.`,
    );
  });

  afterEach(async () => {
    await proxy.set({ kind: 'pass' });
  });

  it('throttling that passes: the SDK retries with backoff and the card is right', async () => {
    const { status } = await sandboxBinding('fault-throttle', config);
    await proxy.set({ kind: 'throttle', count: 2 });
    const { binding, byCode } = await status();
    answered += 1;
    leaks += findSecrets(JSON.stringify(byCode)).length;
    expect(proxy.stats.throttled).toBe(2);
    expect(byCode.P4.status).toBe('pass');
    expect(byCode.F1.status).toBe('pass');
    expect(byCode.F3.status).toBe('pass');
    expect(binding.overall).not.toBe('unknown');
  });

  it('AWS slow (every answer a second late): the card is right, only later', async () => {
    const { status } = await sandboxBinding('fault-slow', config);
    await proxy.set({ kind: 'slow', ms: 1000 });
    const { binding, byCode } = await status();
    answered += 1;
    leaks += findSecrets(JSON.stringify(byCode)).length;
    expect(byCode.F1.status).toBe('pass');
    expect(byCode.F3.status).toBe('pass');
    expect(byCode.P8).toBeUndefined();
    expect(binding.overall).not.toBe('unknown');
  });

  it('HTTP 429 from AWS: retried with backoff, and the card is right', async () => {
    const { status } = await sandboxBinding('fault-429', config);
    const before = proxy.stats.throttled;
    await proxy.set({ kind: 'throttle', count: 2, status: 429 });
    const { byCode } = await status();
    answered += 1;
    leaks += findSecrets(JSON.stringify(byCode)).length;
    expect(proxy.stats.throttled - before).toBe(2);
    expect(byCode.F1.status).toBe('pass');
    expect(byCode.P8).toBeUndefined();
  });

  it('AWS stopped: the AWS checks are unknown and say why, the cluster checks stay right', async () => {
    const { status, roleArn } = await sandboxBinding('fault-down', config);
    await proxy.set({ kind: 'down' });
    outages += 1;
    const { binding, byCode } = await status();
    answered += 1;
    leaks += findSecrets(JSON.stringify(byCode)).length;
    expect(byCode.P2.status).toBe('pass');
    expect(byCode.P3).toMatchObject({
      status: 'pass',
      detail: `Annotated with ${roleArn}.`,
    });
    expect(byCode.F20.status).toBe('pass');
    expect(byCode.P8.status).toBe('unknown');
    expect(byCode.P8.detail).toMatch(
      /^Could not read IAM in account \d{12}: .*AWS did not answer \(ECONNREFUSED\) after every retry.*try again \(or retry the task\) once it answers\.$/,
    );
    expect(byCode.F1).toBeUndefined();
    expect(binding.overall).toBe('unknown');

    await proxy.set({ kind: 'pass' });
    expect((await status()).byCode.F1.status).toBe('pass');
  });

  it('AWS hanging: each attempt ends at irsa.aws.requestTimeoutSeconds, and the card answers unknown', async () => {
    const { status } = await sandboxBinding('fault-hang', config);
    expect((await status()).byCode.F1.status).toBe('pass'); // credentials now cached
    const hungBefore = proxy.stats.hung;
    await proxy.set({ kind: 'hang' });
    const { binding, byCode } = await status();
    answered += 1;
    leaks += findSecrets(JSON.stringify(byCode)).length;
    // GetRole, tried irsa.aws.maxAttempts times, each cut at the request timeout.
    expect(proxy.stats.hung - hungBefore).toBeGreaterThanOrEqual(3);
    expect(byCode.P2.status).toBe('pass');
    expect(byCode.P8.status).toBe('unknown');
    expect(byCode.P8.detail).toMatch(
      /AWS did not answer \((ETIMEDOUT|TimeoutError)\) after every retry: .*exceeded the configured 2000 ms requestTimeout/,
    );
    expect(binding.overall).toBe('unknown');
  });

  it("the credentials' sts:AssumeRole hanging is bounded too", async () => {
    // A new backend: its credentials are not cached, so its first AWS call needs STS, whose
    // client takes the calling client's request handler and so its timeouts.
    const { status } = await sandboxBinding('fault-creds', config);
    await proxy.set({ kind: 'hang' });
    const { byCode } = await status();
    answered += 1;
    leaks += findSecrets(JSON.stringify(byCode)).length;
    expect(byCode.P8.status).toBe('unknown');
    expect(byCode.P8.detail).toMatch(
      /AWS did not answer \((ETIMEDOUT|TimeoutError)\) after every retry/,
    );
  });
});
