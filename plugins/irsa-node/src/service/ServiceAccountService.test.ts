import { ConflictError, NotAllowedError } from '@backstage/errors';
import { testRegistry } from '../__testUtils__/testRegistry';
import {
  FieldManagerConflictError,
  type ServiceAccountApply,
  type ServiceAccountRecord,
} from '../kubernetes';
import { entityHashLabelValue } from './entityHashLabel';
import {
  type RoleOwnershipCheck,
  ServiceAccountService,
} from './ServiceAccountService';

// Adoption decisions against a fake cluster: what is refused, what is applied, and that
// nothing but the server-side apply of the planned fields is ever sent.

const ENTITY = 'component:default/payments-api';
const OTHER = 'component:default/billing';
const ROLE = 'arn:aws:iam::111111111111:role/irsa/irsa-payments-api';
const OLD_ROLE = 'arn:aws:iam::111111111111:role/irsa/irsa-payments-api-v1';
const THEIRS = 'arn:aws:iam::111111111111:role/someone-elses';

/** A ServiceAccount as `helm install` leaves it. */
function helmSa(
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): ServiceAccountRecord {
  return {
    namespace: 'payments',
    name: 'api',
    uid: 'uid-1',
    resourceVersion: '42',
    labels: {
      'app.kubernetes.io/managed-by': 'Helm',
      'helm.sh/chart': 'payments-1.2.3',
      ...extra.labels,
    },
    annotations: {
      'meta.helm.sh/release-name': 'payments',
      ...extra.annotations,
    },
  };
}

function serviceWith(
  sa: ServiceAccountRecord | undefined,
  options: {
    roleOwnership?: RoleOwnershipCheck;
    applyFails?: Error[];
    afterApplyFailure?: ServiceAccountRecord;
  } = {},
) {
  let current = sa;
  const applies: ServiceAccountApply[] = [];
  const otherWrites: string[] = [];
  const failures = [...(options.applyFails ?? [])];
  const k8s = {
    namespaceExists: async () => true,
    getServiceAccount: async () => current,
    applyServiceAccountMetadata: async (apply: ServiceAccountApply) => {
      applies.push(apply);
      const failure = failures.shift();
      if (failure) {
        if (options.afterApplyFailure) current = options.afterApplyFailure;
        throw failure;
      }
    },
    createServiceAccount: async () => {
      otherWrites.push('create');
    },
    patchServiceAccountMetadata: async () => {
      otherWrites.push('patch');
    },
  };
  const service = new ServiceAccountService(
    testRegistry(),
    () => k8s as any,
    options.roleOwnership,
  );
  return { service, applies, otherWrites };
}

const request = {
  cluster: 'prod',
  namespace: 'payments',
  name: 'api',
  roleArn: ROLE,
  entityRef: ENTITY,
};

describe('ServiceAccountService adoption', () => {
  it('refuses a Helm ServiceAccount without the opt-in, naming it', async () => {
    const { service } = serviceWith(helmSa());
    const error = await service.plan(request).catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('managed by Helm (release payments)');
    expect(error.message).toContain('adoptExisting: true');
    expect(error.message).toContain(
      'serviceAccount.annotations."eks.amazonaws.com/role-arn"',
    );
  });

  it('plans the apply of only the role annotation, the adoption record and the labels', async () => {
    const { service, applies, otherWrites } = serviceWith(helmSa());
    const plan = await service.plan({ ...request, adoptExisting: true });
    expect(plan.state).toBe('adopt');
    expect(plan.annotations).toEqual({
      'eks.amazonaws.com/role-arn': ROLE,
      'irsa.backstage.io/adopted-by': ENTITY,
    });
    expect(plan.labels).toEqual({
      'irsa.backstage.io/entity-hash': entityHashLabelValue(ENTITY),
      'backstage.io/kubernetes-id': 'payments-api',
    });
    expect(plan.adoption).toEqual({
      first: true,
      entityRef: ENTITY,
      uid: 'uid-1',
      resourceVersion: '42',
      managedBy: 'Helm',
      helmRelease: 'payments',
    });

    await service.adopt(plan);
    expect(applies).toEqual([
      {
        namespace: 'payments',
        name: 'api',
        uid: 'uid-1',
        resourceVersion: '42',
        fieldManager: 'backstage-irsa',
        labels: plan.labels,
        annotations: plan.annotations,
      },
    ]);
    expect(otherWrites).toEqual([]);
  });

  it('keeps a kubernetes-id label the creator set to another value, and never sets managed-by', async () => {
    const { service } = serviceWith(
      helmSa({ labels: { 'backstage.io/kubernetes-id': 'payments' } }),
    );
    const plan = await service.plan({ ...request, adoptExisting: true });
    expect(plan.labels).toEqual({
      'irsa.backstage.io/entity-hash': entityHashLabelValue(ENTITY),
    });
    expect(plan.adoption?.keptKubernetesId).toBe('payments');
    expect(JSON.stringify(plan.labels)).not.toContain('managed-by');
  });

  it('is ready, with nothing to write, once adopted for the same entity', async () => {
    const adopted = helmSa({
      labels: {
        'irsa.backstage.io/entity-hash': entityHashLabelValue(ENTITY),
        'backstage.io/kubernetes-id': 'payments-api',
      },
      annotations: {
        'eks.amazonaws.com/role-arn': ROLE,
        'irsa.backstage.io/adopted-by': ENTITY,
      },
    });
    // Without the opt-in too: an adopted ServiceAccount is the entity's.
    for (const adoptExisting of [false, true]) {
      const plan = await serviceWith(adopted).service.plan({
        ...request,
        adoptExisting,
      });
      expect(plan.state).toBe('ready');
      expect(plan.adoption?.first).toBe(false);
    }
  });

  it('refuses another entity adopting a ServiceAccount adopted for someone else', async () => {
    const adopted = helmSa({
      labels: { 'irsa.backstage.io/entity-hash': entityHashLabelValue(OTHER) },
      annotations: {
        'eks.amazonaws.com/role-arn': THEIRS,
        'irsa.backstage.io/adopted-by': OTHER,
      },
    });
    const error = await serviceWith(adopted)
      .service.plan({ ...request, adoptExisting: true })
      .catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      `was adopted by backstage-irsa for ${OTHER}`,
    );
  });

  it("refuses to replace a role annotation that is not one of the entity's managed roles", async () => {
    const roleOwnership = jest.fn<ReturnType<RoleOwnershipCheck>, any>(
      async () => {
        throw new NotAllowedError('role is not tagged for the entity');
      },
    );
    const { service } = serviceWith(
      helmSa({ annotations: { 'eks.amazonaws.com/role-arn': THEIRS } }),
      { roleOwnership },
    );
    const error = await service
      .plan({ ...request, adoptExisting: true })
      .catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(`already points at role ${THEIRS}`);
    expect(error.message).toContain('role is not tagged for the entity');
    expect(roleOwnership).toHaveBeenCalledWith(THEIRS, ENTITY, 'prod');
  });

  it('refuses to replace any role annotation when role ownership cannot be checked', async () => {
    const { service } = serviceWith(
      helmSa({ annotations: { 'eks.amazonaws.com/role-arn': OLD_ROLE } }),
    );
    await expect(
      service.plan({ ...request, adoptExisting: true }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('replaces a role annotation naming another managed role of the same entity', async () => {
    const { service } = serviceWith(
      helmSa({ annotations: { 'eks.amazonaws.com/role-arn': OLD_ROLE } }),
      { roleOwnership: async () => {} },
    );
    const plan = await service.plan({ ...request, adoptExisting: true });
    expect(plan.state).toBe('adopt');
    expect(plan.adoption?.replacesRoleArn).toBe(OLD_ROLE);
  });

  it('explains a field another manager owns, naming it and the Helm values to set', async () => {
    const conflict = new FieldManagerConflictError('conflict', [
      {
        manager: 'helm',
        field: '.metadata.annotations.eks.amazonaws.com/role-arn',
      },
    ]);
    const { service, applies } = serviceWith(
      helmSa({ annotations: { 'eks.amazonaws.com/role-arn': OLD_ROLE } }),
      { roleOwnership: async () => {}, applyFails: [conflict] },
    );
    const plan = await service.plan({ ...request, adoptExisting: true });
    const error = await service.adopt(plan).catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      '.metadata.annotations.eks.amazonaws.com/role-arn (field manager "helm")',
    );
    expect(error.message).toContain('nothing was changed');
    expect(error.message).toContain('values of Helm release "payments"');
    expect(applies).toHaveLength(1); // never retried with force
  });

  it('plans again, once, when the ServiceAccount changed since the plan', async () => {
    const changed = { ...helmSa(), resourceVersion: '43' };
    const { service, applies } = serviceWith(helmSa(), {
      applyFails: [new ConflictError('the object has been modified')],
      afterApplyFailure: changed,
    });
    const plan = await service.plan({ ...request, adoptExisting: true });
    await service.adopt(plan);
    expect(applies.map(a => a.resourceVersion)).toEqual(['42', '43']);
  });
});
