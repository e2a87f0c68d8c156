import type { PresetSelection } from '@backstage-irsa/plugin-irsa-common';
import type { AuthorizedBinding } from '../access';
import { assertNamespaceOfEntity } from '../access/bindingPolicy';
import type { ClusterRegistry } from '../config';
import type {
  OidcProviderPlan,
  OidcProviderService,
} from './OidcProviderService';
import type { RolePlan, RoleService } from './RoleService';
import type {
  ServiceAccountPlan,
  ServiceAccountService,
} from './ServiceAccountService';

/** Everything one "Request AWS access" asks for, as the template collects it. */
export interface BindingRequest {
  cluster: string;
  /** Account of the role; the cluster's when omitted. */
  accountId?: string;
  namespace: string;
  /** The ServiceAccount; absent when only `serviceAccountPattern` names who may assume the role. */
  serviceAccount?: string;
  /** ServiceAccounts of `namespace` by name pattern (guardrail allowServiceAccountPatterns). */
  serviceAccountPattern?: string;
  roleName: string;
  policyArns: string[];
  /** Presets of `irsa.presets` for the role. */
  presets?: PresetSelection[];
  description?: string;
  kubernetesId?: string;
  /** Adopt the ServiceAccount when someone else created it (k8s:create-sa's opt-in). */
  adoptExisting?: boolean;
}

/** The plan of all three steps, found with reads only (a JSON value for checkpoints). */
export type BindingPlan = {
  entityRef: string;
  requester: string;
  provider: OidcProviderPlan;
  role: RolePlan;
  /**
   * Absent when the request names only a pattern: there is no one ServiceAccount to make;
   * the ServiceAccounts the pattern matches are made by whoever deploys them.
   */
  serviceAccount?: ServiceAccountPlan;
};

/**
 * Plans a whole request — provider, role, ServiceAccount — with reads only, so that
 * anything a later step would refuse (namespace, account, guardrails, a role or
 * ServiceAccount of someone else, a missing namespace) is refused before the first write.
 * Each action of the template calls it before writing; see docs/security.md.
 */
export class BindingPlanner {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly services: {
      oidcProviders: OidcProviderService;
      roles: RoleService;
      serviceAccounts: ServiceAccountService;
    },
  ) {}

  async plan(
    auth: AuthorizedBinding,
    request: BindingRequest,
  ): Promise<BindingPlan> {
    const { oidcProviders, roles, serviceAccounts } = this.services;
    const roleRequest = { ...request, entityRef: auth.entityRef };
    // Everything decidable without a cloud call first, every input problem at once.
    roles.validate(roleRequest);
    assertNamespaceOfEntity(
      this.registry,
      auth.entity,
      auth.entityRef,
      request.namespace,
    );
    const provider = await oidcProviders.plan(
      request.cluster,
      request.accountId,
    );
    const role = await roles.plan(roleRequest);
    const serviceAccount =
      request.serviceAccount === undefined
        ? undefined
        : await serviceAccounts.plan({
            cluster: request.cluster,
            namespace: request.namespace,
            name: request.serviceAccount,
            roleArn: role.roleArn,
            entityRef: auth.entityRef,
            kubernetesId: request.kubernetesId,
            adoptExisting: request.adoptExisting,
          });
    return {
      entityRef: auth.entityRef,
      requester: auth.requester,
      provider,
      role,
      serviceAccount,
    };
  }
}
