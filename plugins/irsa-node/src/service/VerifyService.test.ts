import { testRegistry } from '../__testUtils__/testRegistry';
import type { WebIdentityOutcome } from '../aws';
import type { AwsGatewayFactory } from './gateways';
import { PROPAGATION_WINDOW_MS, VerifyService } from './VerifyService';

const ROLE_ARN = 'arn:aws:iam::111111111111:role/irsa/irsa-api';
const T0 = Date.parse('2026-01-01T12:00:00Z');
const DENIED: WebIdentityOutcome = {
  ok: false,
  errorCode: 'AccessDenied',
  message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
};
const OK: WebIdentityOutcome = {
  ok: true,
  assumedRoleArn: 'arn:aws:sts::111111111111:assumed-role/irsa-api/s',
};

/**
 * A Verify whose STS answers `answers` in turn (the last one repeats), whose role was
 * created `createdAgoMs` before T0, and whose clock only moves when it sleeps.
 */
function verifyWith(
  answers: WebIdentityOutcome[],
  options: {
    createdAgoMs?: number;
    getRoleFails?: boolean;
    tags?: Record<string, string>;
    roleArn?: string;
    /** A caller's wait, as aws:irsa:verify passes it. */
    waitMs?: number;
  } = {},
) {
  let now = T0;
  const sleeps: number[] = [];
  const calls: number[] = [];
  const roleReads: string[] = [];
  const tokens: number[] = [];
  const k8s = {
    getServiceAccount: async () => ({
      namespace: 'payments',
      name: 'api',
      labels: {},
      annotations: {
        'eks.amazonaws.com/role-arn': options.roleArn ?? ROLE_ARN,
      },
    }),
    requestToken: async () => {
      tokens.push(now - T0);
      return 'token';
    },
  };
  const sts = {
    verifyWebIdentity: async () => {
      calls.push(now - T0);
      return answers[Math.min(calls.length - 1, answers.length - 1)];
    },
  };
  const gateways = {
    iam: async (accountId: string, region: string) => ({
      getRole: async (name: string) => {
        roleReads.push(`${accountId}/${region}/${name}`);
        if (options.getRoleFails) throw new Error('AccessDenied on GetRole');
        return {
          tags: options.tags ?? {},
          ...(options.createdAgoMs === undefined
            ? {}
            : {
                createDate: new Date(T0 - options.createdAgoMs).toISOString(),
              }),
        };
      },
    }),
  } as unknown as AwsGatewayFactory;
  const service = new VerifyService(
    testRegistry(),
    () => k8s as any,
    () => sts,
    gateways,
    {
      now: () => now,
      sleep: async ms => {
        sleeps.push(ms);
        now += ms;
      },
    },
  );
  const verify = () =>
    service.verify(
      { cluster: 'prod', namespace: 'payments', name: 'api' },
      options.waitMs === undefined ? undefined : { waitMs: options.waitMs },
    );
  return { verify, sleeps, calls, roleReads, tokens };
}

describe('VerifyService F16 propagation', () => {
  it('does not read the role when STS says yes', async () => {
    const { verify, roleReads, sleeps } = verifyWith([OK], {
      createdAgoMs: 5_000,
    });
    const result = await verify();
    expect(result.ok).toBe(true);
    expect(result.check).toMatchObject({ code: 'F3', status: 'pass' });
    expect(roleReads).toEqual([]);
    expect(sleeps).toEqual([]);
  });

  it('retries a denial of a new role with backoff and passes once STS has it', async () => {
    const { verify, sleeps, calls, roleReads } = verifyWith(
      [DENIED, DENIED, DENIED, OK],
      { createdAgoMs: 5_000 },
    );
    const result = await verify();
    expect(roleReads).toEqual(['111111111111/eu-west-1/irsa-api']);
    expect(sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(calls).toEqual([0, 1_000, 3_000, 7_000]);
    expect(result).toMatchObject({
      ok: true,
      stsCalled: true,
      check: { code: 'F3', status: 'pass' },
    });
  });

  it('reports F16 propagating, not F3, when still denied as the minute ends', async () => {
    const { verify, sleeps, calls } = verifyWith([DENIED], {
      createdAgoMs: 10_000,
    });
    const result = await verify();
    // 1 + 2 + 4 + 8 + 16 s, then the 19 s left of the window: never past it.
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 19_000]);
    expect(calls[calls.length - 1]).toBe(PROPAGATION_WINDOW_MS - 10_000);
    expect(result.ok).toBe(false);
    expect(result.stsErrorCode).toBe('AccessDenied');
    expect(result.check).toMatchObject({ code: 'F16', status: 'warn' });
    expect(result.check.detail).toBe(
      'Propagating: the role was created 10 s ago, and IAM takes up to a minute to reach STS. ' +
        'STS refused: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity (asked 7 times). ' +
        'Run Verify again in a minute; if it is still denied, the trust does not allow this ServiceAccount (F3).',
    );
  });

  it('reports another refusal met while retrying as that refusal', async () => {
    const { verify } = verifyWith(
      [
        DENIED,
        {
          ok: false,
          errorCode: 'InvalidIdentityToken',
          message: 'No OpenIDConnect provider found',
        },
      ],
      { createdAgoMs: 1_000 },
    );
    expect((await verify()).check).toMatchObject({
      code: 'F1',
      status: 'fail',
    });
  });

  it.each([
    ['No OpenIDConnect provider found in your account for https://x', 'F1'],
    ['Incorrect token audience: not in client_id_list', 'F6'],
    [
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
      'F8',
    ],
  ])('maps InvalidIdentityToken "%s" to %s', async (message, code) => {
    const { verify } = verifyWith([
      { ok: false, errorCode: 'InvalidIdentityToken', message },
    ]);
    expect((await verify()).check).toMatchObject({ code, status: 'fail' });
  });

  it('maps a missing provider to F2 for a role in another account than the cluster, as the card does', async () => {
    const other = ROLE_ARN.replace('111111111111', '222222222222');
    const { verify } = verifyWith(
      [
        {
          ok: false,
          errorCode: 'InvalidIdentityToken',
          message:
            'No OpenIDConnect provider found in your account for https://x',
        },
      ],
      { roleArn: other },
    );
    const { check } = await verify();
    expect(check).toMatchObject({ code: 'F2', status: 'fail' });
    expect(check.detail).toContain(
      'The role is in account 222222222222, the cluster in account 111111111111',
    );
  });

  it('answers P3 for a ServiceAccount without a role annotation, minting no token and calling no STS', async () => {
    const { verify, calls, tokens } = verifyWith([OK], { roleArn: '' });
    const result = await verify();
    expect(result).toMatchObject({
      ok: false,
      stsCalled: false,
      check: { code: 'P3', status: 'fail' },
    });
    expect(calls).toEqual([]);
    expect(tokens).toEqual([]);
  });

  it('keeps F3 for a role older than the minute, without retrying', async () => {
    const { verify, sleeps } = verifyWith([DENIED, OK], {
      createdAgoMs: PROPAGATION_WINDOW_MS,
    });
    const result = await verify();
    expect(sleeps).toEqual([]);
    expect(result.check).toMatchObject({ code: 'F3', status: 'fail' });
  });

  it("counts from the product's trust update stamp when it is later than the creation", async () => {
    const { verify, sleeps } = verifyWith([DENIED], {
      createdAgoMs: 30 * 24 * 3600 * 1000,
      tags: {
        'backstage-irsa:trust-updated-at': new Date(T0 - 45_000).toISOString(),
      },
    });
    const result = await verify();
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(result.check).toMatchObject({ code: 'F16', status: 'warn' });
    expect(result.check.detail).toMatch(
      /^Propagating: the role's trust was updated 45 s ago, and IAM takes up to a minute to reach STS\./,
    );
  });

  it('ignores a trust stamp that is not a date, or older than the creation', async () => {
    for (const stamp of ['yesterday', new Date(T0 - 90_000).toISOString()]) {
      const { verify, sleeps } = verifyWith([DENIED], {
        createdAgoMs: 61_000,
        tags: { 'backstage-irsa:trust-updated-at': stamp },
      });
      expect((await verify()).check).toMatchObject({ code: 'F3' });
      expect(sleeps).toEqual([]);
    }
  });

  it('keeps F3 when the role or its creation date cannot be read', async () => {
    for (const options of [{ getRoleFails: true }, {}]) {
      const { verify, sleeps } = verifyWith([DENIED, OK], options);
      const result = await verify();
      expect(sleeps).toEqual([]);
      expect(result.check).toMatchObject({ code: 'F3', status: 'fail' });
    }
  });
});

describe("VerifyService with a caller's wait (aws:irsa:verify waitSeconds)", () => {
  const NO_PROVIDER: WebIdentityOutcome = {
    ok: false,
    errorCode: 'InvalidIdentityToken',
    message: 'No OpenIDConnect provider found in your account for https://x',
  };

  it('keeps asking past the minute, up to the wait, and passes once STS has the role', async () => {
    const answers = [...Array(8).fill(DENIED), OK];
    const { verify, sleeps, calls, tokens } = verifyWith(answers, {
      createdAgoMs: 5_000,
      waitMs: 120_000,
    });
    const result = await verify();
    // Doubling pauses, capped at 20 s: the 9th ask is 91 s after the first.
    expect(sleeps).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000, 20_000,
    ]);
    expect(calls[calls.length - 1]).toBe(91_000);
    expect(tokens).toEqual([0]); // one token for every ask
    expect(result).toMatchObject({ ok: true, check: { code: 'F3' } });
  });

  it('stops at the wait with F16 and asks STS at most 20 times over the longest wait', async () => {
    const { verify, calls, sleeps } = verifyWith([DENIED], {
      createdAgoMs: 0,
      waitMs: 300_000,
    });
    const result = await verify();
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(300_000);
    expect(calls.length).toBeLessThanOrEqual(20);
    expect(result.check).toMatchObject({ code: 'F16', status: 'warn' });
  });

  it('waits for a provider STS does not know yet, which the card does not', async () => {
    const waited = verifyWith([NO_PROVIDER, NO_PROVIDER, OK], {
      createdAgoMs: 2_000,
      waitMs: 60_000,
    });
    expect(await waited.verify()).toMatchObject({ ok: true });
    expect(waited.sleeps).toEqual([1_000, 2_000]);

    const card = verifyWith([NO_PROVIDER, OK], { createdAgoMs: 2_000 });
    expect((await card.verify()).check).toMatchObject({ code: 'F1' });
    expect(card.sleeps).toEqual([]);
  });

  it.each([
    ['Incorrect token audience: not in client_id_list', 'F6'],
    ["Couldn't retrieve verification key from your identity provider", 'F8'],
  ])('fails at once on "%s" (%s): no wait mends it', async (message, code) => {
    const { verify, sleeps, calls } = verifyWith(
      [{ ok: false, errorCode: 'InvalidIdentityToken', message }, OK],
      { createdAgoMs: 1_000, waitMs: 120_000 },
    );
    expect((await verify()).check).toMatchObject({ code, status: 'fail' });
    expect(sleeps).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('fails at once with F3 when the role changed longer ago than the wait and the minute', async () => {
    const { verify, sleeps } = verifyWith([DENIED, OK], {
      createdAgoMs: 10 * 60_000,
      waitMs: 120_000,
    });
    expect((await verify()).check).toMatchObject({
      code: 'F3',
      status: 'fail',
    });
    expect(sleeps).toEqual([]);
  });

  it('counts a change within the wait as propagating even after the minute', async () => {
    const { verify, sleeps } = verifyWith([DENIED, OK], {
      createdAgoMs: 90_000,
      waitMs: 120_000,
    });
    expect(await verify()).toMatchObject({ ok: true });
    expect(sleeps).toEqual([1_000]);
  });

  it('asks once when the wait is 0', async () => {
    const { verify, calls } = verifyWith([DENIED, OK], {
      createdAgoMs: 1_000,
      waitMs: 0,
    });
    expect((await verify()).ok).toBe(false);
    expect(calls).toHaveLength(1);
  });
});
