import {
  describeSandbox,
  sandboxAppConfig,
  sandboxEnv,
  startTcpFaultProxy,
  findSecrets,
  type TcpFaultProxy,
  writeReliabilityBlock,
} from '@backstage-irsa/sandbox-test-utils';
import { REPO_ROOT } from '../__testUtils__/guestBackend';
import { sandboxBinding } from '../__testUtils__/sandboxBinding';

// The card when the Kubernetes API stops or hangs: the backend reaches the sandbox's
// kube-apiserver through a TCP fault proxy (TLS passes through untouched), with
// irsa.kubernetes.requestTimeoutSeconds set low. How long it takes is for the benchmarks.

describeSandbox('the card when the Kubernetes API misbehaves', () => {
  jest.setTimeout(120_000);
  let proxy: TcpFaultProxy;
  let config: object;
  let outages = 0;
  let answered = 0;

  beforeAll(async () => {
    proxy = await startTcpFaultProxy(new URL(sandboxEnv().k8sUrl));
    config = sandboxAppConfig({
      guardrails: { roleNamePrefix: 'irsa-', rolePath: '/irsa/' },
      k8sUrl: `https://127.0.0.1:${proxy.port}`,
      irsa: { kubernetes: { requestTimeoutSeconds: 2 } },
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await writeReliabilityBlock(
      REPO_ROOT,
      'k8s-faults',
      `**${outages} Kubernetes API outages injected** (refused, hanging); the card answered ${answered} times, with what it could not read \`unknown\` and why.`,
    );
  });

  afterEach(async () => {
    await proxy.set('pass');
  });

  it.each([
    ['down', /ECONNREFUSED/],
    ['hang', /AbortError|TimeoutError|aborted/i],
  ] as const)(
    'Kubernetes API %s: the card answers unknown, saying the API did not answer',
    async (fault, error) => {
      const { status, report } = await sandboxBinding(`k8s-${fault}`, config);
      expect((await status()).binding.overall).not.toBe('unknown');
      await proxy.set(fault);
      outages += 1;
      const { body, text } = await report();
      answered += 1;
      expect(findSecrets(text)).toEqual([]);
      expect(body.overall).toBe('unknown');
      expect(body.bindings).toEqual([]);
      const unread = body.checks.filter((c: any) => c.code === 'P8');
      // The entity's own ServiceAccounts (by label) and the one it names: neither could be read.
      expect(unread.map((c: any) => c.status)).toEqual(['unknown', 'unknown']);
      for (const check of unread) {
        expect(check.detail).toMatch(
          /the Kubernetes API did not answer \(.+\)\. It is down, unreachable or slower than irsa\.kubernetes\.requestTimeoutSeconds allows; try again/,
        );
        expect(check.detail).toMatch(error);
      }
    },
  );
});
