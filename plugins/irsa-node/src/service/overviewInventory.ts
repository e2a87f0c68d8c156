import {
  type CheckResult,
  compareOverviewItems,
  createCheckResult,
  IRSA_ROLE_ARN_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type OrphanRole,
  parseRoleArn,
  parseServiceAccountSubject,
  type PolicyStatement,
  ROLE_ENTITY_REF_TAG,
  ROLE_MANAGED_BY_TAG,
  type RoleGoneServiceAccount,
  SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION,
} from '@backstage-irsa/plugin-irsa-common';
import type { ClusterRegistry } from '../config';
import type { ServiceAccountRecord } from '../kubernetes';
import { listServiceAccountsOrReport } from './bindingResolver';
import type { AwsGatewayFactory } from './gateways';
import type { KubernetesGatewayFactory } from './ServiceAccountService';

/** A ServiceAccount the product manages, and the cluster it is on. */
export interface InventoryRow {
  cluster: string;
  record: ServiceAccountRecord;
}

/** A role tagged as the product's, with what it was made for as far as it is known. */
export type ManagedRole = OrphanRole;

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

const rowOrder = (a: InventoryRow, b: InventoryRow) =>
  compareOverviewItems(
    {
      cluster: a.cluster,
      namespace: a.record.namespace,
      serviceAccount: a.record.name,
    },
    {
      cluster: b.cluster,
      namespace: b.record.namespace,
      serviceAccount: b.record.name,
    },
  );

/**
 * Every ServiceAccount the product manages (its ownership label), one label-selected list
 * per cluster, sorted; a cluster that cannot be listed is a P8 check.
 */
export async function listInventory(
  registry: ClusterRegistry,
  k8sFor: KubernetesGatewayFactory,
): Promise<{ rows: InventoryRow[]; checks: CheckResult[] }> {
  const checks: CheckResult[] = [];
  const lists = await Promise.all(
    registry
      .list()
      .map(async cluster =>
        (
          await listServiceAccountsOrReport(
            k8sFor,
            cluster,
            { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
            checks,
          )
        ).map(record => ({ cluster: cluster.name, record })),
      ),
  );
  return { rows: lists.flat().sort(rowOrder), checks };
}

/** Each account a configured cluster's roles may live in, with a region to reach IAM. */
function roleAccounts(registry: ClusterRegistry) {
  const accounts = new Map<string, string>();
  for (const cluster of registry.list()) {
    for (const accountId of registry.roleAccountsOf(cluster)) {
      if (!accounts.has(accountId)) accounts.set(accountId, cluster.region);
    }
  }
  return [...accounts].map(([accountId, region]) => ({ accountId, region }));
}

/**
 * The ServiceAccount a trust policy admits, when it admits exactly one
 * (`<issuer>:sub` = `system:serviceaccount:<namespace>:<name>`).
 */
export function trustedServiceAccount(
  trustPolicy: unknown,
): { namespace: string; name: string } | undefined {
  const raw = (trustPolicy as { Statement?: unknown })?.Statement;
  const statements = (Array.isArray(raw) ? raw : [raw]) as PolicyStatement[];
  const subjects = new Set<string>();
  for (const s of statements) {
    if (s?.Effect !== 'Allow') continue;
    for (const keys of Object.values(s.Condition ?? {})) {
      for (const [key, value] of Object.entries(keys ?? {})) {
        if (!key.endsWith(':sub')) continue;
        for (const v of ([] as unknown[]).concat(value)) {
          if (typeof v === 'string') subjects.add(v);
        }
      }
    }
  }
  if (subjects.size !== 1) return undefined;
  const parsed = parseServiceAccountSubject([...subjects][0]);
  // A pattern (StringLike) names no one ServiceAccount.
  return parsed && !/[*?]/.test(parsed.name) ? parsed : undefined;
}

/**
 * Roles under `irsa.guardrails.rolePath` in every role account, tagged as the product's
 * with an entity: one ListRoles listing per account (1,000 a page) and one GetRole per
 * listed role for its tags (ListRoles returns none), both through the read cache. What
 * each was made for comes from a managed ServiceAccount annotated with it, else from its
 * trust policy (the cluster then only when one configured cluster may use the account).
 * An account or role that cannot be read is a P8 check.
 */
export async function listManagedRoles(
  registry: ClusterRegistry,
  aws: AwsGatewayFactory,
  rows: InventoryRow[],
): Promise<{ roles: ManagedRole[]; checks: CheckResult[] }> {
  const checks: CheckResult[] = [];
  const rolePath = registry.guardrails.rolePath;
  const annotatedBy = new Map<string, InventoryRow>();
  for (const row of rows) {
    const arn = parseRoleArn(
      row.record.annotations[IRSA_ROLE_ARN_ANNOTATION] ?? '',
    );
    const key = arn.ok ? `${arn.value.accountId}/${arn.value.name}` : undefined;
    if (key && !annotatedBy.has(key)) annotatedBy.set(key, row);
  }
  const perAccount = await Promise.all(
    roleAccounts(registry).map(async ({ accountId, region }) => {
      let listed;
      let iam;
      try {
        iam = await aws.iam(accountId, region);
        listed = await iam.listRoles(rolePath);
      } catch (e) {
        checks.push(
          createCheckResult(
            'P8',
            'unknown',
            `Could not list the roles under ${rolePath} in account ${accountId}: ${describe(
              e,
            )}`,
          ),
        );
        return [];
      }
      const clusters = registry
        .list()
        .filter(c => registry.roleAccountsOf(c).includes(accountId));
      const found = await Promise.all(
        listed.map(async (summary): Promise<ManagedRole | undefined> => {
          let role;
          try {
            role = await iam.getRole(summary.name);
          } catch (e) {
            checks.push(
              createCheckResult(
                'P8',
                'unknown',
                `Could not read the role ${summary.arn}: ${describe(e)}`,
              ),
            );
            return undefined;
          }
          // Deleted since it was listed, or not the product's.
          if (!role || role.tags[ROLE_MANAGED_BY_TAG] !== MANAGED_BY_VALUE) {
            return undefined;
          }
          const entityRef = role.tags[ROLE_ENTITY_REF_TAG];
          if (!entityRef) return undefined;
          const row = annotatedBy.get(`${accountId}/${role.name}`);
          const trusted = row
            ? { namespace: row.record.namespace, name: row.record.name }
            : trustedServiceAccount(role.trustPolicy);
          const cluster =
            row?.cluster ??
            (clusters.length === 1 ? clusters[0].name : undefined);
          return {
            accountId,
            roleArn: role.arn,
            roleName: role.name,
            entityRef,
            ...(role.createDate ? { createDate: role.createDate } : {}),
            ...(cluster ? { cluster } : {}),
            ...(trusted
              ? { namespace: trusted.namespace, serviceAccount: trusted.name }
              : {}),
          };
        }),
      );
      return found.filter((r): r is ManagedRole => r !== undefined);
    }),
  );
  const roles = perAccount
    .flat()
    .sort(
      (a, b) =>
        a.accountId.localeCompare(b.accountId) ||
        a.roleName.localeCompare(b.roleName),
    );
  return { roles, checks };
}

/**
 * The managed ServiceAccounts whose annotated role IAM does not have: one GetRole per
 * distinct role, through the read cache (the same reads the card and the overview's rows
 * make). A role that cannot be read is a P8 check, never "gone".
 */
export async function listRoleGone(
  registry: ClusterRegistry,
  aws: AwsGatewayFactory,
  rows: InventoryRow[],
): Promise<{ items: RoleGoneServiceAccount[]; checks: CheckResult[] }> {
  const checks: CheckResult[] = [];
  const found = await Promise.all(
    rows.map(async (row): Promise<RoleGoneServiceAccount | undefined> => {
      const roleArn = row.record.annotations[IRSA_ROLE_ARN_ANNOTATION];
      const parsed = parseRoleArn(roleArn ?? '');
      // No annotation (P3) or a malformed one (F20) is a broken binding, not a role gone.
      if (!roleArn || !parsed.ok) return undefined;
      try {
        const iam = await aws.iam(
          parsed.value.accountId,
          registry.get(row.cluster).region,
        );
        if (await iam.getRole(parsed.value.name)) return undefined;
      } catch (e) {
        checks.push(
          createCheckResult(
            'P8',
            'unknown',
            `Could not read the role ${roleArn} of ${row.record.namespace}/${
              row.record.name
            } on cluster ${row.cluster}: ${describe(e)}`,
          ),
        );
        return undefined;
      }
      const entityRef =
        row.record.annotations[SERVICE_ACCOUNT_ENTITY_REF_ANNOTATION];
      return {
        cluster: row.cluster,
        namespace: row.record.namespace,
        serviceAccount: row.record.name,
        ...(entityRef ? { entityRef } : {}),
        roleArn,
        // As the card words it (bindingChecks.ts).
        check: createCheckResult(
          'P4',
          'fail',
          `Role ${roleArn} does not exist.`,
        ),
      };
    }),
  );
  return {
    items: found.filter((i): i is RoleGoneServiceAccount => i !== undefined),
    checks,
  };
}
