import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  StatusReport,
  VerifyResult,
} from '@backstage-irsa/plugin-irsa-common';
import type {
  IrsaApi,
  IrsaCluster,
  IrsaFormNamespace,
  IrsaFormPolicies,
  IrsaRolePreviewResult,
  IrsaRoleRequest,
} from './IrsaApi';

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

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('irsa');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
