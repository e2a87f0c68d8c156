import {
  namespaceOwnershipRefusal,
  normalizeOwnerRef,
} from './namespaceOwnership';

const entity = (annotations: Record<string, string> = {}, owner?: string) => ({
  kind: 'Component',
  metadata: { name: 'api', annotations },
  spec: owner ? { owner } : {},
});

describe('namespaceOwnershipRefusal, annotation source', () => {
  const annotation = { source: 'annotation' } as const;

  it('allows exactly the annotated namespace', () => {
    expect(
      namespaceOwnershipRefusal(
        entity({ 'backstage.io/kubernetes-namespace': 'payments' }),
        'payments',
        annotation,
      ),
    ).toBeUndefined();
  });

  it('refuses another namespace, naming the annotated one', () => {
    expect(
      namespaceOwnershipRefusal(
        entity({ 'backstage.io/kubernetes-namespace': 'payments' }),
        'platform',
        annotation,
      ),
    ).toContain('annotation says "payments"');
  });

  it('refuses every namespace when the annotation is missing, saying how to add it', () => {
    expect(
      namespaceOwnershipRefusal(entity(), 'payments', annotation),
    ).toContain('"backstage.io/kubernetes-namespace: payments"');
  });
});

describe('namespaceOwnershipRefusal, config source', () => {
  const config = {
    source: 'config',
    namespaces: [
      { name: 'payments-*', owners: ['team-payments'] },
      { name: 'shared', owners: ['group:default/team-platform', 'user:ada'] },
    ],
  } as const;

  it('allows a namespace whose owners include the entity owner', () => {
    expect(
      namespaceOwnershipRefusal(
        entity({}, 'group:default/team-payments'),
        'payments-eu',
        config,
      ),
    ).toBeUndefined();
    expect(
      namespaceOwnershipRefusal(
        entity({}, 'user:default/ada'),
        'shared',
        config,
      ),
    ).toBeUndefined();
  });

  it('refuses a namespace of another owner, naming the owners', () => {
    expect(
      namespaceOwnershipRefusal(entity({}, 'team-payments'), 'shared', config),
    ).toContain('belongs to group:default/team-platform, user:default/ada');
  });

  it('refuses an unlisted namespace and an entity without owner', () => {
    expect(
      namespaceOwnershipRefusal(entity({}, 'team-payments'), 'other', config),
    ).toContain('not listed');
    expect(
      namespaceOwnershipRefusal(entity(), 'payments-eu', config),
    ).toContain('(none)');
  });
});

describe('normalizeOwnerRef', () => {
  it('defaults kind group and the given namespace', () => {
    expect(normalizeOwnerRef('team-a')).toBe('group:default/team-a');
    expect(normalizeOwnerRef('team-a', 'ops')).toBe('group:ops/team-a');
    expect(normalizeOwnerRef('User:Ada')).toBe('user:default/ada');
    expect(normalizeOwnerRef('group:x/Team')).toBe('group:x/team');
  });
});
