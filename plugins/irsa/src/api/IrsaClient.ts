import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  OrphanRole,
  OrphansPage,
  OverviewPage,
  RoleGoneServiceAccount,
  StatusReport,
  VerifyResult,
} from '@backstage-irsa/plugin-irsa-common';
import type {
  IrsaApi,
  IrsaCluster,
  IrsaFormNamespace,
  IrsaFormPolicies,
  IrsaOrphansQuery,
  IrsaOverviewExport,
  IrsaOverviewFilters,
  IrsaOverviewQuery,
  IrsaRolePreviewResult,
  IrsaRoleRequest,
} from './IrsaApi';

/** The query string of the overview's filters and order; empty ones are left out. */
function filterParams(
  filters: IrsaOverviewFilters & { fresh?: boolean },
): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.cluster) params.set('cluster', filters.cluster);
  if (filters.namespace) params.set('namespace', filters.namespace);
  if (filters.entityRef) params.set('entityRef', filters.entityRef);
  if (filters.status?.length) params.set('status', filters.status.join(','));
  if (filters.sort) params.set('sort', filters.sort);
  if (filters.order) params.set('order', filters.order);
  if (filters.fresh) params.set('fresh', 'true');
  return params;
}

function pageParams(query: IrsaOrphansQuery): URLSearchParams {
  const params = new URLSearchParams({
    page: String(query.page),
    pageSize: String(query.pageSize),
  });
  if (query.fresh) params.set('fresh', 'true');
  for (const key of ['cluster', 'namespace', 'entityRef'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  return params;
}

/**
 * Talks to the IRSA backend through the app's discovery and fetch APIs, so the user's
 * Backstage token is attached and errors arrive as `ResponseError` with the server's
 * message.
 * @public
 */
export class IrsaClient implements IrsaApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getClusters(): Promise<IrsaCluster[]> {
    const body = await this.request<{ items: IrsaCluster[] }>('/clusters');
    return body.items;
  }

  async getStatus(
    entityRef: string,
    options?: { fresh?: boolean },
  ): Promise<StatusReport> {
    // Encoded so the query stays well-formed whatever the ref holds.
    return this.request<StatusReport>(
      `/status?entityRef=${encodeURIComponent(entityRef)}${
        options?.fresh ? '&fresh=true' : ''
      }`,
    );
  }

  async verify(request: {
    entityRef: string;
    cluster: string;
    namespace: string;
    serviceAccount: string;
  }): Promise<VerifyResult> {
    return this.request<VerifyResult>('/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async getFormNamespaces(
    cluster: string,
    entityRef: string,
  ): Promise<IrsaFormNamespace[]> {
    const query = new URLSearchParams({ cluster, entityRef });
    const body = await this.request<{ items: IrsaFormNamespace[] }>(
      `/form/namespaces?${query}`,
    );
    return body.items;
  }

  async getFormPolicies(): Promise<IrsaFormPolicies> {
    return this.request<IrsaFormPolicies>('/form/policies');
  }

  async previewRole(request: IrsaRoleRequest): Promise<IrsaRolePreviewResult> {
    return this.request<IrsaRolePreviewResult>('/form/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async getOverview(query: IrsaOverviewQuery): Promise<OverviewPage> {
    const params = filterParams(query);
    params.set('page', String(query.page));
    params.set('pageSize', String(query.pageSize));
    return this.request<OverviewPage>(`/overview?${params}`);
  }

  async exportOverview(
    format: 'csv' | 'json',
    filters: IrsaOverviewFilters,
  ): Promise<IrsaOverviewExport> {
    const params = filterParams(filters);
    params.set('format', format);
    const response = await this.fetch(`/overview/export?${params}`);
    return {
      filename: `irsa-overview.${format}`,
      content: await response.blob(),
    };
  }

  async getOrphanRoles(
    query: IrsaOrphansQuery,
  ): Promise<OrphansPage<OrphanRole>> {
    const params = pageParams(query);
    params.set('kind', 'roles');
    return this.request<OrphansPage<OrphanRole>>(`/overview/orphans?${params}`);
  }

  async getRoleGoneServiceAccounts(
    query: IrsaOrphansQuery,
  ): Promise<OrphansPage<RoleGoneServiceAccount>> {
    const params = pageParams(query);
    params.set('kind', 'serviceAccounts');
    return this.request<OrphansPage<RoleGoneServiceAccount>>(
      `/overview/orphans?${params}`,
    );
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T;
  }

  private async fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('irsa');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
