import {
  CoreV1Api,
  createConfiguration,
  KubeConfig,
  ServerConfiguration,
  PatchStrategy,
  setHeaderOptions,
  type V1EnvVar,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  POD_ANNOTATIONS_READ,
  type PodSummary,
} from '@backstage-irsa/plugin-irsa-common';
import type { KubernetesConnection } from '../config';
import {
  fieldManagerConflicts,
  FieldManagerConflictError,
  kubernetesStatus,
  type KubernetesSignIn,
  mapKubernetesError,
} from './mapKubernetesError';
import { currentRequestSignal } from '../budget/requestSignal';
import { keepAliveAuth } from './keepAliveAuth';

/** A ServiceAccount as the product needs to see it. */
export interface ServiceAccountRecord {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Set by getServiceAccount only: the preconditions of a server-side apply. */
  uid?: string;
  resourceVersion?: string;
}

/**
 * A server-side apply of some labels and annotations of an existing ServiceAccount, as
 * field manager `fieldManager`, never forced, and only to the object read (`uid`) in the
 * state read (`resourceVersion`).
 */
export interface ServiceAccountApply {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  fieldManager: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * A pod as the status checks need it: container names, the names of their environment
 * variables (values only of `AWS_ROLE_ARN` and `AWS_STS_REGIONAL_ENDPOINTS`) and the pod
 * annotations the webhook reads. Never an environment value beyond those two.
 */
export type PodRecord = PodSummary;

/** The literal value of one of the two variables the checks read; `undefined` otherwise. */
function envValue(env: V1EnvVar[] | undefined, name: string) {
  return env?.find(e => e.name === name)?.value;
}

function podRecord(pod: V1Pod): PodRecord {
  const annotations = pod.metadata?.annotations ?? {};
  return {
    name: pod.metadata?.name ?? '',
    serviceAccountName: pod.spec?.serviceAccountName,
    annotations: Object.fromEntries(
      POD_ANNOTATIONS_READ.filter(k => annotations[k] !== undefined).map(k => [
        k,
        annotations[k],
      ]),
    ),
    containers: (pod.spec?.containers ?? []).map(c => {
      const roleArn = envValue(c.env, 'AWS_ROLE_ARN');
      const sts = envValue(c.env, 'AWS_STS_REGIONAL_ENDPOINTS');
      return {
        name: c.name,
        envNames: (c.env ?? []).map(e => e.name),
        ...(roleArn !== undefined ? { roleArn } : {}),
        ...(sts !== undefined ? { stsRegionalEndpoints: sts } : {}),
      };
    }),
  };
}

/** The Kubernetes operations the product performs, and nothing else. */
export interface KubernetesGateway {
  /** ServiceAccounts in every namespace with all of `labels`, paged. */
  listServiceAccountsByLabels(
    labels: Record<string, string>,
  ): Promise<ServiceAccountRecord[]>;
  /** The pods in `namespace` that run as ServiceAccount `serviceAccount`, paged. */
  listPodsOf(namespace: string, serviceAccount: string): Promise<PodRecord[]>;
  /** A short-lived token for the ServiceAccount (TokenRequest); never log or return it. */
  requestToken(
    namespace: string,
    name: string,
    audience: string,
    expirationSeconds: number,
  ): Promise<string>;
  namespaceExists(name: string): Promise<boolean>;
  /** The names of every namespace of the cluster, paged (the template form's picker). */
  listNamespaces(): Promise<string[]>;
  getServiceAccount(
    namespace: string,
    name: string,
  ): Promise<ServiceAccountRecord | undefined>;
  createServiceAccount(sa: ServiceAccountRecord): Promise<void>;
  /**
   * Server-side apply (`application/apply-patch+yaml`, `force=false`) of exactly the given
   * labels and annotations: every other field, and every other field manager's entry in
   * `metadata.managedFields`, stays as it is. Throws FieldManagerConflictError when another
   * manager owns a field with another value, ConflictError when the ServiceAccount changed
   * or was deleted since it was read.
   */
  applyServiceAccountMetadata(apply: ServiceAccountApply): Promise<void>;
  /**
   * Deletes the ServiceAccount, only the object read (`uid`) in the state read
   * (`resourceVersion`): ConflictError when it changed since. One already gone is not an
   * error (a retried retirement carries on).
   */
  deleteServiceAccount(target: {
    namespace: string;
    name: string;
    uid: string;
    resourceVersion: string;
  }): Promise<void>;
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

/** Items per page of a list: bounded memory per request, whatever the cluster's size. */
const PAGE_SIZE = 500;

/** How long one Kubernetes API request may take unless configured otherwise. */
export const DEFAULT_KUBERNETES_TIMEOUT_MS = 10_000;

/**
 * KubernetesGateway over @kubernetes/client-node's CoreV1Api. Every request is aborted after
 * `timeoutMs` (the client has no timeout of its own, so a hanging API server would hold a
 * task or the card forever).
 */
export class ClientKubernetesGateway implements KubernetesGateway {
  private readonly core: CoreV1Api;
  /** How this backend signs in, for what a refusal (401, 403) tells to check. */
  private readonly signIn: KubernetesSignIn;

  constructor(
    private readonly clusterName: string,
    kubeConfig: KubeConfig,
    timeoutMs: number = DEFAULT_KUBERNETES_TIMEOUT_MS,
    /** Connections kept open to the API server (irsa.kubernetes.maxConcurrency). */
    maxSockets = 10,
    /** For `authProvider: aws`: the EKS token of each request (EksTokenProvider). */
    bearerToken?: () => Promise<string>,
  ) {
    // As kubeConfig.makeApiClient, plus the timeout middleware and kept connections.
    this.signIn = bearerToken ? 'eksToken' : 'serviceAccountToken';
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error(`No server for cluster ${clusterName}`);
    this.core = new CoreV1Api(
      createConfiguration({
        baseServer: new ServerConfiguration(server, {}),
        authMethods: {
          default: keepAliveAuth(kubeConfig, maxSockets, bearerToken),
        },
        promiseMiddleware: [
          {
            pre: async context => {
              // The request's own signal too: a client that went away stops its reads.
              const client = currentRequestSignal();
              const timeout = AbortSignal.timeout(timeoutMs);
              context.setSignal(
                client ? AbortSignal.any([timeout, client]) : timeout,
              );
              return context;
            },
            post: async context => context,
          },
        ],
      }),
    );
  }

  async listServiceAccountsByLabels(labels: Record<string, string>) {
    const labelSelector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    try {
      const found: ServiceAccountRecord[] = [];
      let _continue: string | undefined;
      do {
        const page = await this.core.listServiceAccountForAllNamespaces({
          labelSelector,
          limit: PAGE_SIZE,
          _continue,
        });
        for (const sa of page.items) {
          found.push({
            namespace: sa.metadata?.namespace ?? '',
            name: sa.metadata?.name ?? '',
            labels: sa.metadata?.labels ?? {},
            annotations: sa.metadata?.annotations ?? {},
          });
        }
        _continue = page.metadata?._continue || undefined;
      } while (_continue);
      return found;
    } catch (e) {
      throw this.refused(
        e,
        `list ServiceAccounts labelled ${labelSelector} on cluster ${this.clusterName}`,
      );
    }
  }

  async listPodsOf(namespace: string, serviceAccount: string) {
    try {
      const found: PodRecord[] = [];
      let _continue: string | undefined;
      do {
        // The API server filters: only this ServiceAccount's pods cross the wire (the
        // admission plugin sets spec.serviceAccountName, `default` included).
        const page = await this.core.listNamespacedPod({
          namespace,
          fieldSelector: `spec.serviceAccountName=${serviceAccount}`,
          limit: PAGE_SIZE,
          _continue,
        });
        found.push(...page.items.map(podRecord));
        _continue = page.metadata?._continue || undefined;
      } while (_continue);
      return found;
    } catch (e) {
      throw this.refused(
        e,
        `list the pods of ${namespace}/${serviceAccount} on cluster ${this.clusterName}`,
      );
    }
  }

  async requestToken(
    namespace: string,
    name: string,
    audience: string,
    expirationSeconds: number,
  ) {
    try {
      const tr = await this.core.createNamespacedServiceAccountToken({
        name,
        namespace,
        body: { spec: { audiences: [audience], expirationSeconds } },
      });
      return tr.status?.token ?? '';
    } catch (e) {
      throw this.refused(
        e,
        `mint a token for ServiceAccount ${namespace}/${name} on cluster ${this.clusterName}`,
      );
    }
  }

  async namespaceExists(name: string) {
    try {
      await this.core.readNamespace({ name });
      return true;
    } catch (e) {
      if (kubernetesStatus(e) === 404) return false;
      throw this.refused(
        e,
        `read namespace ${name} on cluster ${this.clusterName}`,
      );
    }
  }

  async listNamespaces() {
    try {
      const names: string[] = [];
      let _continue: string | undefined;
      do {
        const page = await this.core.listNamespace({
          limit: PAGE_SIZE,
          _continue,
        });
        for (const ns of page.items) {
          if (ns.metadata?.name) names.push(ns.metadata.name);
        }
        _continue = page.metadata?._continue || undefined;
      } while (_continue);
      return names;
    } catch (e) {
      throw this.refused(
        e,
        `list the namespaces of cluster ${this.clusterName}`,
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
        uid: sa.metadata?.uid,
        resourceVersion: sa.metadata?.resourceVersion,
      };
    } catch (e) {
      if (kubernetesStatus(e) === 404) return undefined;
      throw this.refused(
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
      throw this.refused(
        e,
        `create ServiceAccount ${sa.namespace}/${sa.name} on cluster ${this.clusterName}`,
      );
    }
  }

  async applyServiceAccountMetadata(apply: ServiceAccountApply) {
    const { namespace, name } = apply;
    const doing = `apply labels and annotations to ServiceAccount ${namespace}/${name} on cluster ${this.clusterName}`;
    try {
      await this.core.patchNamespacedServiceAccount(
        {
          name,
          namespace,
          fieldManager: apply.fieldManager,
          // Never take a field over from another manager: a conflict is explained instead.
          force: false,
          body: {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: {
              name,
              namespace,
              // Preconditions, not fields of ours (409 when unmet): the apply fails rather
              // than act on a ServiceAccount changed since it was read, or create one
              // deleted meanwhile (an apply creates what is missing, resourceVersion or not;
              // a uid that matches nothing stops it).
              uid: apply.uid,
              resourceVersion: apply.resourceVersion,
              // An empty map is left out rather than applied: the apply then owns none of
              // those keys, and the apiserver removes each key only this manager owned
              // (how a retirement takes back what an adoption applied).
              ...(Object.keys(apply.labels).length > 0
                ? { labels: apply.labels }
                : {}),
              ...(Object.keys(apply.annotations).length > 0
                ? { annotations: apply.annotations }
                : {}),
            },
          },
        },
        // The body is JSON, which is YAML: the content type is what makes it an apply.
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
    } catch (e) {
      const conflicts = fieldManagerConflicts(e);
      if (conflicts.length > 0) {
        throw new FieldManagerConflictError(
          `Could not ${doing}: ${conflicts
            .map(c => `${c.field} is managed by "${c.manager}"`)
            .join('; ')}`,
          conflicts,
        );
      }
      throw this.refused(e, doing);
    }
  }

  async deleteServiceAccount(target: {
    namespace: string;
    name: string;
    uid: string;
    resourceVersion: string;
  }) {
    const { namespace, name } = target;
    try {
      await this.core.deleteNamespacedServiceAccount({
        name,
        namespace,
        body: {
          preconditions: {
            uid: target.uid,
            resourceVersion: target.resourceVersion,
          },
        },
      });
    } catch (e) {
      if (kubernetesStatus(e) === 404) return;
      throw this.refused(
        e,
        `delete ServiceAccount ${namespace}/${name} on cluster ${this.clusterName}`,
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
      throw this.refused(
        e,
        `update ServiceAccount ${namespace}/${name} on cluster ${this.clusterName}`,
      );
    }
  }

  /** A Kubernetes API error as `@backstage/errors`, for this cluster's sign-in. */
  private refused(error: unknown, doing: string): Error {
    return mapKubernetesError(error, doing, this.signIn);
  }
}
