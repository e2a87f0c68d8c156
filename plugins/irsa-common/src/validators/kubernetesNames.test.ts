import {
  validateNamespace,
  validateServiceAccountName,
} from './kubernetesNames';

const messages = (r: { ok: boolean; problems?: { message: string }[] }) =>
  (r.ok ? [] : r.problems!).map(p => p.message);

describe('namespaces are DNS-1123 labels', () => {
  it.each(['a', '0', 'payments', 'team-a-1', 'x'.repeat(63)])(
    'accepts %j',
    ns => {
      expect(validateNamespace(ns)).toEqual({ ok: true });
    },
  );
  it.each([
    ['', /not a DNS-1123 label/],
    ['Payments', /lower-case/],
    ['-payments', /starting and ending/],
    ['payments-', /starting and ending/],
    ['team.a', /no dots/],
    ['x'.repeat(64), /64 characters long: Kubernetes allows at most 63/],
  ])('rejects %j', (ns, message) => {
    expect(messages(validateNamespace(ns)).join('\n')).toMatch(message);
  });
});

describe('ServiceAccount names are DNS-1123 subdomains', () => {
  it.each([
    'a',
    'payments-api',
    'api.v2',
    'a.b-c.d',
    `${'x'.repeat(63)}.${'y'.repeat(63)}`,
    'x'.repeat(253),
  ])('accepts %j', name => {
    expect(validateServiceAccountName(name)).toEqual({ ok: true });
  });
  it.each([
    ['', /not a DNS-1123 subdomain/],
    ['Api', /lower-case/],
    ['api..v2', /dot-separated part/],
    ['api.-v2', /dot-separated part/],
    ['api_v2', /not a DNS-1123 subdomain/],
    ['x'.repeat(254), /254 characters long: Kubernetes allows at most 253/],
  ])('rejects %j', (name, message) => {
    expect(messages(validateServiceAccountName(name)).join('\n')).toMatch(
      message,
    );
  });
});
