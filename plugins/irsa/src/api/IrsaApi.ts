import { createApiRef } from '@backstage/core-plugin-api';
import type {
  FormNamespace,
  FormPolicies,
  FormPreset,
  FormRolePreview,
  OrphanRole,
  OrphansPage,
  OverallStatus,
  OverviewPage,
  OverviewSortKey,
  OverviewSortOrder,
  RoleGoneServiceAccount,
  StatusReport,
  VerifyResult,
} from '@backstage-irsa/plugin-irsa-common';

/** A cluster the IRSA backend can bind ServiceAccounts on (no connection details). */
export interface IrsaCluster {
  name: string;
  accountId: string;
  region: string;
  eksClusterName?: string;
  oidcIssuer?: string;
  /** Accounts besides `accountId` where roles for this cluster may be made. */
  allowedAccountIds?: string[];
}

/** A namespace of a cluster, and whether the entity may bind ServiceAccounts in it. */
export type IrsaFormNamespace = FormNamespace;

/** A platform preset (`irsa.presets`): a named set of permissions, maybe parameterised. */
export type IrsaPreset = FormPreset;

/** What the form offers for a role's permissions. */
export type IrsaFormPolicies = FormPolicies;

/** A whole request as the template's form holds it. */
export interface IrsaRoleRequest {
  entityRef: string;
  cluster: string;
  accountId?: string;
  namespace: string;
  serviceAccount: string;
  roleName: string;
  presets?: Array<{ name: string; parameters?: Record<string, string> }>;
  policyArns?: string[];
}

/** The role a request would make, and every problem the actions would refuse. */
export type IrsaRolePreviewResult = FormRolePreview;

/** The platform overview's filters and order (each filter matches exactly). */
export interface IrsaOverviewFilters {
  cluster?: string;
  namespace?: string;
  entityRef?: string;
  /** Only these overall statuses. */
  status?: OverallStatus[];
  sort?: OverviewSortKey;
  order?: OverviewSortOrder;
}

/** A page of the platform overview. */
export interface IrsaOverviewQuery extends IrsaOverviewFilters {
  /** From 1. */
  page: number;
  /** At most 200. */
  pageSize: number;
  /** Read every peer anew instead of the backend's cache. */
  fresh?: boolean;
}

/** A page of orphans. */
export interface IrsaOrphansQuery {
  page: number;
  pageSize: number;
  fresh?: boolean;
  /** The overview's filters that apply to leftovers (exact). */
  cluster?: string;
  namespace?: string;
  entityRef?: string;
}

/** The overview as a file, for the browser to save. */
export interface IrsaOverviewExport {
  filename: string;
  content: Blob;
}

/**
 * Client of the IRSA backend (`/api/irsa`).
 * @public
 */
export interface IrsaApi {
  /** The configured clusters, for the template's form fields. */
  getClusters(): Promise<IrsaCluster[]>;
  /**
   * The trust status of every ServiceAccount binding of an entity, as the backend computed
   * it; `entityRef` is `kind:namespace/name` (see `stringifyEntityRef`). The backend may
   * answer from its cache (`irsa.cache`); `fresh` reads every peer anew.
   */
  getStatus(
    entityRef: string,
    options?: { fresh?: boolean },
  ): Promise<StatusReport>;
  /**
   * Live STS verify of one of the entity's ServiceAccounts: who AWS says it is, or why
   * STS refused. Carries no token or credential.
   */
  verify(request: {
    entityRef: string;
    cluster: string;
    namespace: string;
    serviceAccount: string;
  }): Promise<VerifyResult>;
  /**
   * The cluster's namespaces, each allowed or refused for the entity with the reason
   * (the template's namespace picker). Needs irsa.binding.create on the entity.
   */
  getFormNamespaces(
    cluster: string,
    entityRef: string,
  ): Promise<IrsaFormNamespace[]>;
  /** The presets and allow-listed managed policies (the template's policy picker). */
  getFormPolicies(): Promise<IrsaFormPolicies>;
  /**
   * The final role name, path, ARN and trust subject of a request, and every problem the
   * actions would refuse it for, per field. No cloud call.
   */
  previewRole(request: IrsaRoleRequest): Promise<IrsaRolePreviewResult>;
  /**
   * A page of every ServiceAccount backstage-irsa manages, on every cluster, with owner,
   * role and status. Needs irsa.overview.read (a 403 `ResponseError` otherwise).
   */
  getOverview(query: IrsaOverviewQuery): Promise<OverviewPage>;
  /** Every row the filters match, as CSV or JSON (irsa.overview.read). */
  exportOverview(
    format: 'csv' | 'json',
    filters: IrsaOverviewFilters,
  ): Promise<IrsaOverviewExport>;
  /** Roles of the product whose entity is not in the catalog (irsa.overview.read). */
  getOrphanRoles(query: IrsaOrphansQuery): Promise<OrphansPage<OrphanRole>>;
  /** ServiceAccounts of the product whose role is gone (irsa.overview.read). */
  getRoleGoneServiceAccounts(
    query: IrsaOrphansQuery,
  ): Promise<OrphansPage<RoleGoneServiceAccount>>;
}

/** @public */
export const irsaApiRef = createApiRef<IrsaApi>({ id: 'plugin.irsa.service' });
