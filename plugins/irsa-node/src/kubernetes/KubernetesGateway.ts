import {
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { KubernetesConnection } from '../config';
import { kubernetesStatus, mapKubernetesError } from './mapKubernetesError';

/** A ServiceAccount as the product needs to see it. */
export interface ServiceAccountRecord {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The Kubernetes operations the product performs, and nothing else. */
export interface KubernetesGateway {
  namespaceExists(name: string): Promise<boolean>;
  getServiceAccount(
    namespace: string,
    name: string,
  ): Promise<ServiceAccountRecord | undefined>;
  createServiceAccount(sa: ServiceAccountRecord): Promise<void>;
  /** JSON merge patch of labels and annotations; `null` removes a key. */
  patchServiceAccountMetadata(
    namespace: string,
    name: string,
    metadata: {
      labels?: Record<string, string | null>;
      annotations?: Record<string, string | null>;
    },
  ): Promise<void>;
}

/** Builds a client for one cluster from its (already validated) connection config. */
export function kubeConfigFor(
  clusterName: string,
  connection: KubernetesConnection,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: clusterName,
        server: connection.url,
        caData: connection.caData,
        caFile: connection.caFile,
        skipTLSVerify: connection.dangerouslySkipTLSVerify,
      },
    ],
    users: [{ name: 'backstage-irsa', token: connection.serviceAccountToken }],
    contexts: [
      { name: clusterName, cluster: clusterName, user: 'backstage-irsa' },
    ],
    currentContext: clusterName,
  });
  return kc;
}

/** KubernetesGateway over @kubernetes/client-node's CoreV1Api. */
export class ClientKubernetesGateway implements KubernetesGateway {
  private readonly core: CoreV1Api;

  constructor(private readonly clusterName: string, kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async namespaceExists(name: string) {
    try {
      await this.core.readNamespace({ name });
      return true;
    } catch (e) {
      if (kubernetesStatus(e) === 404) return false;
      throw mapKubernetesError(
        e,
        `read namespace ${name} on cluster ${this.clusterName}`,
      );
    }
  }

  async getServiceAccount(namespace: string, name: string) {
    try {
      const sa = await this.core.readNamespacedServiceAccount({
        name,
        namespace,
      });
      return {
        namespace,
        name,
        labels: sa.metadata?.labels ?? {},
        annotations: sa.metadata?.annotations ?? {},
      };
    } catch (e) {
      if (kubernetesStatus(e) === 404) return undefined;
      throw mapKubernetesError(
        e,
        `read ServiceAccount ${namespace}/${name} on cluster ${this.clusterName}`,
      );
    }
  }

  async createServiceAccount(sa: ServiceAccountRecord) {
    try {
      await this.core.createNamespacedServiceAccount({
        namespace: sa.namespace,
        body: {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: {
            name: sa.name,
            namespace: sa.namespace,
            labels: sa.labels,
            annotations: sa.annotations,
          },
        },
      });
    } catch (e) {
      throw mapKubernetesError(
        e,
        `create ServiceAccount ${sa.namespace}/${sa.name} on cluster ${this.clusterName}`,
      );
    }
  }

  async patchServiceAccountMetadata(
    namespace: string,
    name: string,
    metadata: {
      labels?: Record<string, string | null>;
      annotations?: Record<string, string | null>;
    },
  ) {
    try {
      await this.core.patchNamespacedServiceAccount(
        { name, namespace, body: { metadata } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (e) {
      throw mapKubernetesError(
        e,
        `update ServiceAccount ${namespace}/${name} on cluster ${this.clusterName}`,
      );
    }
  }
}
