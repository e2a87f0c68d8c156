import { testRegistry } from '../__testUtils__/testRegistry';
import type { ServiceAccountRecord } from '../kubernetes';
import { BindingResolver } from './bindingResolver';
import { entityHashLabelValue } from './entityHashLabel';

const registry = testRegistry({ guardrails: { deniedNamespaces: ['kube-*'] } });

const managed = (
  ns: string,
  name: string,
  entityRef?: string,
): ServiceAccountRecord => ({
  namespace: ns,
  name,
  labels: {
    'app.kubernetes.io/managed-by': 'backstage-irsa',
    ...(entityRef
      ? { 'irsa.backstage.io/entity-hash': entityHashLabelValue(entityRef) }
      : {}),
  },
  annotations: entityRef ? { 'irsa.backstage.io/entity-ref': entityRef } : {},
});
const unmanaged = (ns: string, name: string): ServiceAccountRecord => ({
  namespace: ns,
  name,
  labels: {},
  annotations: {},
});

function resolverWith(sas: ServiceAccountRecord[]) {
  const gets: string[] = [];
  const k8s = {
    listServiceAccountsByLabels: async (labels: Record<string, string>) =>
      sas.filter(s =>
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      ),
    getServiceAccount: async (ns: string, name: string) => {
      gets.push(`${ns}/${name}`);
      return sas.find(s => s.namespace === ns && s.name === name);
    },
  };
  return { gets, resolver: new BindingResolver(registry, () => k8s as any) };
}

const entity = (annotations: Record<string, string>) => ({
  kind: 'Component',
  metadata: {
    name: 'api',
    annotations: {
      'backstage.io/kubernetes-namespace': 'payments',
      ...annotations,
    },
  },
});

describe('BindingResolver', () => {
  it('counts ServiceAccounts the product made for the entity, wherever they are', async () => {
    const { resolver } = resolverWith([
      managed('payments', 'api', 'component:default/api'),
      managed('batch', 'api-jobs', 'component:default/api'),
      managed('payments', 'other', 'component:default/other'),
    ]);
    const { targets, checks } = await resolver.resolve(entity({}));
    expect(targets.map(t => `${t.namespace}/${t.name}`)).toEqual([
      'payments/api',
      'batch/api-jobs',
    ]);
    expect(checks).toEqual([]);
  });

  it('takes the hash label as an index only: the entity-ref annotation decides', async () => {
    const forged = managed('payments', 'forged', 'component:default/other');
    forged.labels['irsa.backstage.io/entity-hash'] = entityHashLabelValue(
      'Component:default/API',
    );
    const { resolver } = resolverWith([
      forged,
      managed('payments', 'api', 'component:default/api'),
    ]);
    const { targets } = await resolver.resolve(entity({}));
    expect(targets.map(t => `${t.namespace}/${t.name}`)).toEqual([
      'payments/api',
    ]);
  });

  it('refuses a claimed ServiceAccount of another entity, and one in a namespace the entity may not use', async () => {
    const { resolver } = resolverWith([
      managed('payments', 'theirs', 'component:default/other'),
      unmanaged('platform', 'hand-made'),
      unmanaged('payments', 'mine-by-hand'),
    ]);
    const { targets, checks } = await resolver.resolve(
      entity({
        'irsa.backstage.io/service-accounts':
          'payments/theirs, platform/hand-made, payments/mine-by-hand',
      }),
    );
    expect(targets.map(t => `${t.namespace}/${t.name}`)).toEqual([
      'payments/mine-by-hand',
    ]);
    expect(checks.map(c => [c.code, c.status])).toEqual([
      ['P6', 'pass'],
      ['P9', 'fail'],
      ['P9', 'fail'],
    ]);
    expect(checks[1].detail).toContain('for component:default/other');
    expect(checks[2].detail).toContain('may not use namespace "platform"');
  });

  it('fails P1 for a claim on a cluster that is not configured, reading nothing there', async () => {
    const { resolver, gets } = resolverWith([unmanaged('payments', 'api')]);
    const { targets, checks } = await resolver.resolve(
      entity({ 'irsa.backstage.io/service-accounts': 'staging/payments/api' }),
    );
    expect(targets).toEqual([]);
    expect(gets).toEqual([]);
    expect(checks.map(c => [c.code, c.status])).toEqual([
      ['P6', 'pass'],
      ['P1', 'fail'],
    ]);
    expect(checks[1].detail).toBe(
      'Cluster "staging" is not in irsa.clusters (configured: prod).',
    );
  });

  it("never reads a ServiceAccount in a denied namespace, even the entity's own claim", async () => {
    const { resolver, gets } = resolverWith([
      unmanaged('kube-system', 'aws-node'),
    ]);
    const { targets, checks } = await resolver.resolve(
      entity({
        'backstage.io/kubernetes-namespace': 'kube-system',
        'irsa.backstage.io/service-accounts': 'kube-system/aws-node',
      }),
    );
    expect(targets).toEqual([]);
    expect(gets).toEqual([]);
    expect(checks[1]).toMatchObject({ code: 'P9', status: 'fail' });
    expect(checks[1].detail).toContain('deniedNamespaces');
  });

  it("follows the kubernetes-id label for unmanaged ServiceAccounts in the entity's namespace only", async () => {
    const labelled = (ns: string) => ({
      ...unmanaged(ns, 'api'),
      labels: { 'backstage.io/kubernetes-id': 'api' },
    });
    const { resolver } = resolverWith([
      labelled('payments'),
      labelled('elsewhere'),
    ]);
    const { targets } = await resolver.resolve(
      entity({ 'backstage.io/kubernetes-id': 'api' }),
    );
    expect(targets.map(t => t.namespace)).toEqual(['payments']);
  });
});

describe('BindingResolver: an annotation that names what the template did not make (P11)', () => {
  it('says so with the exact annotation, and checks the ServiceAccount that exists instead', async () => {
    const { resolver } = resolverWith([
      managed('default', 'api', 'component:default/api'),
    ]);
    const { targets, checks } = await resolver.resolve(
      entity({ 'irsa.backstage.io/service-accounts': 'payments/api' }),
    );
    expect(targets.map(t => `${t.namespace}/${t.name}`)).toEqual([
      'default/api',
    ]);
    const cluster = targets[0].cluster.name;
    expect(checks.find(c => c.code === 'P11')).toMatchObject({
      status: 'warn',
      detail:
        `irsa.backstage.io/service-accounts names payments/api on cluster ${cluster}, which does not exist; ` +
        `backstage-irsa made default/api on cluster ${cluster} for this entity. Replace the annotation with ` +
        `"irsa.backstage.io/service-accounts: ${cluster}/default/api", or remove it.`,
    });
  });

  it('still reports a missing annotated ServiceAccount as a binding when the template made none', async () => {
    const { resolver } = resolverWith([]);
    const { targets, checks } = await resolver.resolve(
      entity({ 'irsa.backstage.io/service-accounts': 'payments/api' }),
    );
    expect(targets.map(t => [`${t.namespace}/${t.name}`, t.record])).toEqual([
      ['payments/api', null],
    ]);
    expect(checks.map(c => c.code)).not.toContain('P11');
  });

  it('leaves annotated ServiceAccounts that exist alone', async () => {
    const { resolver } = resolverWith([
      managed('default', 'api', 'component:default/api'),
      unmanaged('payments', 'api'),
    ]);
    const { targets, checks } = await resolver.resolve(
      entity({ 'irsa.backstage.io/service-accounts': 'payments/api' }),
    );
    expect(targets.map(t => `${t.namespace}/${t.name}`).sort()).toEqual([
      'default/api',
      'payments/api',
    ]);
    expect(checks.map(c => c.code)).not.toContain('P11');
  });
});

describe('BindingResolver: ServiceAccounts adopted by k8s:create-sa', () => {
  /** A Helm ServiceAccount adopted for `entityRef`: Helm's managed-by label kept. */
  const adopted = (
    ns: string,
    name: string,
    entityRef: string,
  ): ServiceAccountRecord => ({
    namespace: ns,
    name,
    labels: {
      'app.kubernetes.io/managed-by': 'Helm',
      'irsa.backstage.io/entity-hash': entityHashLabelValue(entityRef),
    },
    annotations: {
      'meta.helm.sh/release-name': name,
      'irsa.backstage.io/adopted-by': entityRef,
    },
  });

  it('counts a ServiceAccount adopted for the entity without any claim in catalog-info', async () => {
    const { resolver, gets } = resolverWith([
      adopted('payments', 'api', 'component:default/api'),
      adopted('payments', 'other', 'component:default/other'),
    ]);
    const { targets, checks } = await resolver.resolve(entity({}));
    expect(targets.map(t => `${t.namespace}/${t.name}`)).toEqual([
      'payments/api',
    ]);
    expect(checks).toEqual([]);
    expect(gets).toEqual([]);
  });

  it('refuses a claimed ServiceAccount adopted for another entity (P9)', async () => {
    const { resolver } = resolverWith([
      adopted('payments', 'theirs', 'component:default/other'),
    ]);
    const { targets, checks } = await resolver.resolve(
      entity({ 'irsa.backstage.io/service-accounts': 'payments/theirs' }),
    );
    expect(targets).toEqual([]);
    expect(checks[1]).toMatchObject({ code: 'P9', status: 'fail' });
    expect(checks[1].detail).toContain(
      'was adopted by backstage-irsa for component:default/other',
    );
  });

  it('takes the hash label without an adoption record as an index only', async () => {
    const forged = adopted('payments', 'forged', 'component:default/api');
    delete forged.annotations['irsa.backstage.io/adopted-by'];
    const { resolver } = resolverWith([forged]);
    const { targets } = await resolver.resolve(entity({}));
    expect(targets).toEqual([]);
  });
});

describe('BindingResolver: P11 only points elsewhere', () => {
  it('keeps reporting a missing annotated ServiceAccount when everything the template made is annotated too', async () => {
    const { resolver } = resolverWith([
      managed('payments', 'api', 'component:default/api'),
    ]);
    const { targets, checks } = await resolver.resolve(
      entity({
        'irsa.backstage.io/service-accounts': 'payments/api, payments/gone',
      }),
    );
    expect(targets.map(t => [`${t.namespace}/${t.name}`, t.record])).toEqual([
      ['payments/api', expect.objectContaining({ name: 'api' })],
      ['payments/gone', null],
    ]);
    expect(checks.map(c => c.code)).not.toContain('P11');
  });
});
