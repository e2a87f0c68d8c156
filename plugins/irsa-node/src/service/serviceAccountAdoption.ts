import {
  IRSA_ROLE_ARN_ANNOTATION,
  MANAGED_BY_LABEL,
  SERVICE_ACCOUNT_FIELD_MANAGER,
} from '@backstage-irsa/plugin-irsa-common';
import type { FieldConflict, ServiceAccountRecord } from '../kubernetes';

/** Helm's release annotation on the objects of a release. */
export const HELM_RELEASE_ANNOTATION = 'meta.helm.sh/release-name';

/** What adopting a ServiceAccount needs and the task log tells (a JSON value). */
export type AdoptionPlan = {
  /** True when this run adopts it; false when it is already adopted for this entity. */
  first: boolean;
  /** The entity it is adopted for, and the kubernetes-id label asked for. */
  entityRef: string;
  kubernetesId?: string;
  /** Preconditions of the apply: the ServiceAccount as the plan read it. */
  uid: string;
  resourceVersion: string;
  /** Its `app.kubernetes.io/managed-by` label (Helm's, a team's), left as it is. */
  managedBy?: string;
  /** Its Helm release, when a Helm chart made it. */
  helmRelease?: string;
  /** The role ARN annotation the apply replaces: a managed role of the same entity. */
  replacesRoleArn?: string;
  /** The kubernetes-id label it keeps because it already has another value. */
  keptKubernetesId?: string;
};

/** The tool that made a ServiceAccount, in words: `Helm release "payments"`. */
export function creatorOf(sa: ServiceAccountRecord): {
  managedBy?: string;
  helmRelease?: string;
  helm: boolean;
} {
  const managedBy = sa.labels[MANAGED_BY_LABEL];
  const helmRelease = sa.annotations[HELM_RELEASE_ANNOTATION];
  return {
    ...(managedBy ? { managedBy } : {}),
    ...(helmRelease ? { helmRelease } : {}),
    helm: managedBy === 'Helm' || helmRelease !== undefined,
  };
}

/**
 * What the ServiceAccount's own tool will do to the fields backstage-irsa applied, for the
 * task log: the developer must know before the chart's next upgrade, not after.
 */
export function afterAdoptionNote(
  adoption: Pick<AdoptionPlan, 'managedBy' | 'helmRelease'>,
  roleArn: string,
): string {
  const helm =
    adoption.managedBy === 'Helm' || adoption.helmRelease !== undefined;
  if (helm) {
    return (
      `On the next upgrade of Helm release "${
        adoption.helmRelease ?? 'unknown'
      }", Helm 3 patches the ServiceAccount ` +
      "with a three-way merge of the chart's previous manifest, its new one and the live object: fields the chart " +
      `never set, such as those applied here, are kept. If the chart sets ${IRSA_ROLE_ARN_ANNOTATION} itself ` +
      "(e.g. serviceAccount.annotations in its values), the upgrade overwrites this value with the chart's: add " +
      `"${IRSA_ROLE_ARN_ANNOTATION}: ${roleArn}" to the release's values so both say the same. ` +
      '`helm upgrade --force` deletes and re-creates the ServiceAccount, dropping everything applied here; run this ' +
      'template again after one.'
    );
  }
  return (
    'Tools that update this ServiceAccount from a manifest keep the fields they never set, such as those applied ' +
    `here; one whose manifest sets ${IRSA_ROLE_ARN_ANNOTATION} will overwrite this value: put ` +
    `"${IRSA_ROLE_ARN_ANNOTATION}: ${roleArn}" into that manifest too. Deleting and re-creating the ServiceAccount ` +
    'drops everything applied here; run this template again after that.'
  );
}

/**
 * The refusal of an apply that met fields another field manager owns, and how to resolve
 * it: backstage-irsa never forces an apply, so it never takes a field from Helm or a team.
 */
export function conflictExplanation(
  where: string,
  conflicts: FieldConflict[],
  adoption: Pick<AdoptionPlan, 'managedBy' | 'helmRelease'>,
  roleArn: string,
): string {
  const owned = conflicts
    .map(c => `${c.field} (field manager "${c.manager}")`)
    .join(', ');
  const helm =
    adoption.managedBy === 'Helm' || adoption.helmRelease !== undefined;
  const fix = helm
    ? `set "${IRSA_ROLE_ARN_ANNOTATION}: ${roleArn}" in the values of Helm release "${
        adoption.helmRelease ?? 'unknown'
      }" (serviceAccount.annotations in most charts) and upgrade it; the ServiceAccount then carries the role and a re-run only records the adoption`
    : `have the owner of those fields set them to the values above, or remove them, then run again`;
  return (
    `${where}: ${owned} already ${
      conflicts.length === 1 ? 'has' : 'have'
    } another value, set by another tool. backstage-irsa applies as field manager ` +
    `"${SERVICE_ACCOUNT_FIELD_MANAGER}" and never takes a field from another manager, so nothing was changed. Fix: ${fix}.`
  );
}
