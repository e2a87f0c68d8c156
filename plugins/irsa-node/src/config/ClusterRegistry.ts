import type { Config } from '@backstage/config';
import {
  type NamespaceOwnership,
  type PolicyPreset,
  quote,
} from '@backstage-irsa/plugin-irsa-common';
import { InputError } from '@backstage/errors';
import { readIrsaConfig } from './readIrsaConfig';
import type { IrsaClusterConfig, IrsaConfig, IrsaGuardrails } from './types';

/** What the API may show of a cluster: never a token, CA or connection detail. */
export interface ClusterSummaryView {
  name: string;
  accountId: string;
  region: string;
  eksClusterName?: string;
  oidcIssuer?: string;
}

/**
 * The clusters and guardrails configured under `irsa`, validated once at start-up.
 * @public
 */
export class ClusterRegistry {
  static fromConfig(config: Config): ClusterRegistry {
    return new ClusterRegistry(readIrsaConfig(config));
  }

  private constructor(private readonly config: IrsaConfig) {}

  get guardrails(): IrsaGuardrails {
    return this.config.guardrails;
  }

  /** The platform's policy presets (`irsa.presets`), validated at start-up. */
  get presets(): readonly PolicyPreset[] {
    return this.config.presets;
  }

  /** Lower-cased catalog kinds that may receive AWS access (`irsa.entityKinds`). */
  get entityKinds(): readonly string[] {
    return this.config.entityKinds;
  }

  /** How an entity's namespaces are decided (`irsa.namespaceOwnership`). */
  get namespaceOwnership(): NamespaceOwnership {
    return this.config.namespaceOwnership;
  }

  /** How long one Kubernetes API request may take (`irsa.kubernetes`). */
  get kubernetesTimeoutMs(): number {
    return this.config.kubernetesTimeoutMs;
  }

  /** `irsa.kubernetes.maxConcurrency`: requests in flight to one cluster at a time. */
  get kubernetesMaxConcurrency(): number {
    return this.config.kubernetesMaxConcurrency;
  }

  /** `irsa.cache`, with defaults: how long reads and status reports are reused. */
  get cache(): IrsaConfig['cache'] {
    return this.config.cache;
  }

  /** `irsa.aws`, with defaults: timeouts and attempts of every AWS call. */
  get aws(): IrsaConfig['aws'] {
    return this.config.aws;
  }

  /** `irsa.outbound`, with defaults: how issuer discovery may reach the network. */
  get outbound(): IrsaConfig['outbound'] {
    return this.config.outbound;
  }

  /** `irsa.verify.rateLimit`, with defaults. */
  get verifyRateLimit(): IrsaConfig['verifyRateLimit'] {
    return this.config.verifyRateLimit;
  }

  /**
   * Accounts where roles for the cluster's ServiceAccounts may live: the cluster's own
   * and `allowedAccountIds`. Backstage's main account is not among them unless listed.
   */
  roleAccountsOf(cluster: IrsaClusterConfig): string[] {
    return [cluster.accountId, ...cluster.allowedAccountIds];
  }

  /** Every configured cluster, with its connection (server-side use only). */
  list(): IrsaClusterConfig[] {
    return [...this.config.clusters];
  }

  /**
   * Cluster names arrive from template input and HTTP requests, so an unknown one is
   * bad input, reported before any cloud call.
   * @throws InputError naming the configured clusters.
   */
  get(name: string): IrsaClusterConfig {
    const cluster = this.config.clusters.find(c => c.name === name);
    if (!cluster) {
      throw new InputError(
        `cluster: Unknown IRSA cluster ${quote(
          name,
        )}; configured clusters: ${this.config.clusters
          .map(c => c.name)
          .join(', ')}`,
      );
    }
    return cluster;
  }

  /** The clusters as the HTTP API and the card may see them. */
  summaries(): ClusterSummaryView[] {
    return this.config.clusters.map(c => ({
      name: c.name,
      accountId: c.accountId,
      region: c.region,
      ...(c.eksClusterName ? { eksClusterName: c.eksClusterName } : {}),
      ...(c.oidcIssuer ? { oidcIssuer: c.oidcIssuer } : {}),
    }));
  }
}
