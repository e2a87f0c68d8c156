import {
  type FormNamespace,
  type FormPolicies,
  type FormRolePreview,
  formatRoleArn,
  partitionForRegion,
  type Problem,
  serviceAccountSubject,
} from '@backstage-irsa/plugin-irsa-common';
import type { BindingEntity } from '../access';
import { assertRoleAccount, namespaceRefusal } from '../access/bindingPolicy';
import type { ClusterRegistry, ClusterSummaryView } from '../config';
import type { KubernetesGateway } from '../kubernetes';
import type { RoleRequest, RoleService } from './RoleService';

/** A configured cluster as the template form sees it: no connection details. */
export type FormCluster = ClusterSummaryView & {
  /** Accounts besides `accountId` where roles for this cluster may be made. */
  allowedAccountIds: string[];
};

export type {
  FormNamespace,
  FormPolicies,
  FormPreset,
} from '@backstage-irsa/plugin-irsa-common';
/** The role a request makes, and every problem the actions would refuse it for. */
export type RolePreview = FormRolePreview;

/** A whole request as the form holds it, for the preview. */
export type FormPreviewRequest = RoleRequest & {
  presets?: Array<{ name: string; parameters?: Record<string, string> }>;
};

/** Globs (`*`, `?`) allow a family of policies, which a form cannot list one by one. */
function isExactArn(pattern: string): boolean {
  return !/[*?]/.test(pattern);
}

/**
 * What the template's field extensions show, computed with the very checks the actions
 * run (RoleService.problems, namespaceRefusal, assertRoleAccount), so the form and the
 * actions never disagree. Reads only: the namespace list is the one Kubernetes call; the
 * preview makes none, nor any AWS call.
 */
export class FormService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly roles: RoleService,
    private readonly kubernetes: (cluster: string) => KubernetesGateway,
  ) {}

  clusters(): FormCluster[] {
    const byName = new Map(this.registry.list().map(c => [c.name, c]));
    return this.registry.summaries().map(summary => ({
      ...summary,
      allowedAccountIds: [
        ...(byName.get(summary.name)?.allowedAccountIds ?? []),
      ],
    }));
  }

  /**
   * Every namespace of the cluster, sorted, each marked with whether `entity` may use it:
   * the guardrails first, then the namespace ownership rules, as the actions decide.
   * @throws InputError for an unknown cluster.
   */
  async namespaces(
    clusterName: string,
    entity: BindingEntity,
  ): Promise<FormNamespace[]> {
    const cluster = this.registry.get(clusterName);
    const names = await this.kubernetes(cluster.name).listNamespaces();
    return [...names]
      .sort((a, b) => a.localeCompare(b))
      .map(name => {
        const refusal = namespaceRefusal(this.registry, entity, name);
        return refusal
          ? { name, allowed: false, reason: refusal.reason }
          : { name, allowed: true };
      });
  }

  policies(): FormPolicies {
    return {
      presets: this.registry.presets.map(p => ({
        name: p.name,
        title: p.title,
        description: p.description,
        policyArns: [...p.policyArns],
        hasInlinePolicy: p.inlinePolicy !== undefined,
        parameters: p.parameters.map(param => ({
          name: param.name,
          title: param.title,
          description: param.description,
          pattern: param.pattern,
        })),
      })),
      managedPolicyArns:
        this.registry.guardrails.allowedPolicyArns.filter(isExactArn),
    };
  }

  /**
   * The final role name, path and ARN and the trust subject of a request, with every
   * problem the actions would refuse it for, each at its field. No cloud call.
   */
  preview(entity: BindingEntity, request: FormPreviewRequest): RolePreview {
    const { guardrails } = this.registry;
    const problems: Problem[] = [];
    const cluster = this.registry.list().find(c => c.name === request.cluster);
    if (!cluster) {
      problems.push(
        problemOf('cluster', () => this.registry.get(request.cluster)),
      );
    }
    problems.push(...this.roles.problems(request));
    if (cluster) {
      const account = problemOf('accountId', () =>
        assertRoleAccount(
          this.registry,
          cluster,
          request.accountId ?? cluster.accountId,
        ),
      );
      // An account that is not 12 digits is already reported by the validators.
      if (account.message && !problems.some(p => p.field === 'accountId')) {
        problems.push(account);
      }
    }
    // The guardrails' refusal is among the role's problems; add whose namespace it is,
    // which the actions check next (BindingPlanner), for a well-formed name only.
    if (!problems.some(p => p.field === 'namespace')) {
      const refusal = namespaceRefusal(
        this.registry,
        entity,
        request.namespace,
      );
      if (refusal)
        problems.push({ field: 'namespace', message: refusal.reason });
    }
    const roleName = this.roles.finalRoleName(request.roleName);
    return {
      roleName,
      roleNamePrefix: guardrails.roleNamePrefix,
      path: guardrails.rolePath,
      roleArn: cluster
        ? formatRoleArn({
            partition: partitionForRegion(cluster.region),
            accountId: request.accountId ?? cluster.accountId,
            name: roleName,
            path: guardrails.rolePath,
          })
        : '',
      trustSubject: serviceAccountSubject(
        request.namespace,
        // A pattern request trusts the pattern (RoleRequest.serviceAccountPattern).
        request.serviceAccountPattern ?? request.serviceAccount ?? '',
      ),
      problems: problems.filter(p => p.message),
    };
  }
}

/** The message of the error `check` throws, as a problem of `field` (empty when none). */
function problemOf(field: string, check: () => unknown): Problem {
  try {
    check();
    return { field, message: '' };
  } catch (e) {
    const message = (e as Error).message.replace(/^cluster: /, '');
    return { field, message };
  }
}
