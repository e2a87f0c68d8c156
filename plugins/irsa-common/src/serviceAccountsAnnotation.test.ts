import fc from 'fast-check';
import {
  formatServiceAccountsAnnotation,
  parseServiceAccountsAnnotation,
  ServiceAccountRef,
} from './serviceAccountsAnnotation';

const messages = (r: { ok: boolean; problems?: { message: string }[] }) =>
  (r.ok ? [] : r.problems!).map(p => p.message);

describe('irsa.backstage.io/service-accounts', () => {
  it('parses namespace/name and cluster/namespace/name entries, ignoring spaces', () => {
    expect(
      parseServiceAccountsAnnotation(
        ' payments/payments-api ,prod-eu/payments/payments-worker',
      ),
    ).toEqual({
      ok: true,
      value: [
        { namespace: 'payments', name: 'payments-api' },
        { cluster: 'prod-eu', namespace: 'payments', name: 'payments-worker' },
      ],
    });
  });

  it('reports every problem, each naming its entry, with an example', () => {
    const value =
      'payments, Prod_EU!/payments/api, payments/Api, a/b/c/d, , payments/api.v2, payments/api.v2';
    const problems = messages(parseServiceAccountsAnnotation(value));
    expect(problems).toEqual([
      expect.stringMatching(
        /^entry 1 of .* is "payments": each entry must be "namespace\/name" or "cluster\/namespace\/name"/,
      ),
      expect.stringMatching(/^entry 2 of .* names cluster "Prod_EU!"/),
      expect.stringMatching(
        /^In entry 3 of .*: The ServiceAccount name "Api" is not a DNS-1123 subdomain/,
      ),
      expect.stringMatching(/^entry 4 of .* is "a\/b\/c\/d"/),
      expect.stringMatching(/^entry 5 of .* is ""/),
      expect.stringMatching(/^entry 7 of .* repeats "payments\/api.v2"/),
    ]);
    for (const p of problems) {
      expect(p).toMatch(/for example/);
    }
  });

  it('treats the same ServiceAccount in different clusters as different entries', () => {
    expect(parseServiceAccountsAnnotation('a/p/x, b/p/x, p/x').ok).toBe(true);
  });

  it('formats references so they parse back to the same references', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
    const ref: fc.Arbitrary<ServiceAccountRef> = fc.oneof(
      fc.record({ namespace: label, name: label }),
      fc.record({
        cluster: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,10}$/),
        namespace: label,
        name: label,
      }),
    );
    expect(() =>
      fc.assert(
        fc.property(
          fc.uniqueArray(ref, {
            minLength: 1,
            maxLength: 6,
            selector: r => JSON.stringify(r),
          }),
          refs => {
            const parsed = parseServiceAccountsAnnotation(
              formatServiceAccountsAnnotation(refs),
            );
            return (
              parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(refs)
            );
          },
        ),
      ),
    ).not.toThrow();
  });
});
