import type { Config } from '@backstage/config';
import { IrsaConfigError } from './IrsaConfigError';
import {
  type NamespaceOwnership,
  type PolicyPreset,
  policyPresetProblems,
} from '@backstage-irsa/plugin-irsa-common';
import type {
  IrsaClusterConfig,
  IrsaConfig,
  IrsaGuardrails,
  KubernetesConnection,
  RateLimit,
} from './types';
import { type ClusterRefContext, resolveClusterRef } from './resolveClusterRef';
import { isIP } from 'node:net';
import {
  DEFAULT_OUTBOUND_POLICY,
  type OutboundPolicy,
} from '../outbound/guardedFetch';

const ACCOUNT_ID = /^\d{12}$/;
// Partition-agnostic shape of AWS region names (us-east-1, cn-north-1, us-gov-west-1, ...).
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Collects problems so one start-up error lists all of them. */
class Problems {
  readonly list: string[] = [];
  add(key: string, message: string) {
    this.list.push(`${key}: ${message}`);
  }
}

/** `<path>.<key>`, a whole number in `[min, max]` (`fallback` when absent or wrong). */
function wholeNumber(
  section: Config | undefined,
  path: string,
  key: string,
  fallback: number,
  [min, max]: [number, number],
  problems: Problems,
  what = `a whole number from ${min} to ${max}`,
): number {
  const v = section?.getOptional(key);
  if (v === undefined) return fallback;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) {
    return v;
  }
  problems.add(`${path}.${key}`, `must be ${what}`);
  return fallback;
}

function optionalString(
  config: Config,
  key: string,
  path: string,
  problems: Problems,
): string | undefined {
  const value = config.getOptional(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.add(`${path}.${key}`, `must be a non-empty string`);
    return undefined;
  }
  return value;
}

function requiredString(
  config: Config,
  key: string,
  path: string,
  problems: Problems,
): string | undefined {
  const value = optionalString(config, key, path, problems);
  if (value === undefined && config.getOptional(key) === undefined) {
    problems.add(`${path}.${key}`, 'is required');
  }
  return value;
}

function stringList(
  config: Config | undefined,
  key: string,
  path: string,
  problems: Problems,
): string[] {
  const value = config?.getOptional(key);
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    problems.add(`${path}.${key}`, 'must be a list of strings');
    return [];
  }
  return value as string[];
}

function optionalBoolean(
  section: Config | undefined,
  key: string,
  path: string,
  problems: Problems,
): boolean {
  const value = section?.getOptional(key);
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    problems.add(`${path}.${key}`, 'must be true or false');
    return false;
  }
  return value;
}

function httpsUrl(value: string, key: string, problems: Problems) {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.add(key, `"${value}" is not a URL`);
    return;
  }
  if (url.protocol !== 'https:') {
    problems.add(key, `must use https (got "${value}")`);
  }
}

function readKubernetes(
  root: Config,
  cluster: Config,
  path: string,
  problems: Problems,
  context: ClusterRefContext,
): KubernetesConnection | undefined {
  const k8s = cluster.getOptionalConfig('kubernetes');
  const kpath = `${path}.kubernetes`;
  if (!k8s) {
    problems.add(kpath, 'is required (give `url` or `clusterRef`)');
    return undefined;
  }
  const clusterRef = optionalString(k8s, 'clusterRef', kpath, problems);
  const url = optionalString(k8s, 'url', kpath, problems);
  if (clusterRef && url) {
    problems.add(kpath, 'give either `url` or `clusterRef`, not both');
    return undefined;
  }
  if (clusterRef) {
    return resolveClusterRef(
      root,
      clusterRef,
      `${kpath}.clusterRef`,
      problems,
      context,
    );
  }
  if (!url) {
    problems.add(kpath, 'give `url` (API server URL) or `clusterRef`');
    return undefined;
  }
  httpsUrl(url, `${kpath}.url`, problems);
  const skip = k8s.getOptional('dangerouslySkipTLSVerify');
  if (skip !== undefined && typeof skip !== 'boolean') {
    problems.add(`${kpath}.dangerouslySkipTLSVerify`, 'must be true or false');
  }
  return {
    url,
    caData: optionalString(k8s, 'caData', kpath, problems),
    caFile: optionalString(k8s, 'caFile', kpath, problems),
    serviceAccountToken: optionalString(
      k8s,
      'serviceAccountToken',
      kpath,
      problems,
    ),
    dangerouslySkipTLSVerify: skip === true,
    source: 'irsa',
  };
}

function readCluster(
  root: Config,
  cluster: Config,
  path: string,
  problems: Problems,
): IrsaClusterConfig | undefined {
  const name = requiredString(cluster, 'name', path, problems);
  if (name && !CLUSTER_NAME.test(name)) {
    problems.add(
      `${path}.name`,
      `"${name}" must be lowercase letters, digits and '-' (max 63), e.g. "prod-eu"`,
    );
  }
  const accountId = requiredString(cluster, 'accountId', path, problems);
  if (accountId && !ACCOUNT_ID.test(accountId)) {
    problems.add(
      `${path}.accountId`,
      `"${accountId}" must be a 12-digit AWS account id (quote it in YAML to keep leading zeros)`,
    );
  }
  const region = requiredString(cluster, 'region', path, problems);
  if (region && !REGION.test(region)) {
    problems.add(`${path}.region`, `"${region}" is not an AWS region name`);
  }
  const eksClusterName = optionalString(
    cluster,
    'eksClusterName',
    path,
    problems,
  );
  const oidcIssuer = optionalString(cluster, 'oidcIssuer', path, problems);
  if (!eksClusterName && !oidcIssuer) {
    problems.add(path, 'give `eksClusterName` or `oidcIssuer`');
  }
  if (oidcIssuer) httpsUrl(oidcIssuer, `${path}.oidcIssuer`, problems);
  const allowedAccountIds = stringList(
    cluster,
    'allowedAccountIds',
    path,
    problems,
  );
  allowedAccountIds.forEach((a, i) => {
    if (!ACCOUNT_ID.test(a)) {
      problems.add(
        `${path}.allowedAccountIds[${i}]`,
        `"${a}" must be a 12-digit AWS account id (quote it in YAML)`,
      );
    }
  });
  const kubernetes = readKubernetes(root, cluster, path, problems, {
    region,
    eksClusterName,
  });
  if (!name || !accountId || !region || !kubernetes) return undefined;
  return {
    name,
    accountId,
    region,
    eksClusterName,
    oidcIssuer,
    allowedAccountIds,
    kubernetes,
  };
}

function readGuardrails(root: Config, problems: Problems): IrsaGuardrails {
  const path = 'irsa.guardrails';
  const g = root.getOptionalConfig(path);
  const rolePath = (g && optionalString(g, 'rolePath', path, problems)) ?? '/';
  if (!/^\/([\x21-\x7e]+\/)?$/.test(rolePath) || rolePath.length > 512) {
    problems.add(
      `${path}.rolePath`,
      `"${rolePath}" must start and end with '/', e.g. "/irsa/"`,
    );
  }
  return {
    allowedNamespaces: stringList(g, 'allowedNamespaces', path, problems),
    deniedNamespaces: stringList(g, 'deniedNamespaces', path, problems),
    allowedPolicyArns: stringList(g, 'allowedPolicyArns', path, problems),
    permissionsBoundaryArn:
      g && optionalString(g, 'permissionsBoundaryArn', path, problems),
    roleNamePrefix:
      (g && optionalString(g, 'roleNamePrefix', path, problems)) ?? '',
    rolePath,
    maxSessionDurationSeconds: wholeNumber(
      g,
      path,
      'maxSessionDurationSeconds',
      3600,
      [3600, 43200],
      problems,
      'a whole number of seconds from 3600 to 43200',
    ),
    trustPolicySizeLimit: wholeNumber(
      g,
      path,
      'trustPolicySizeLimit',
      2048,
      [2048, 4096],
      problems,
      'a whole number of characters from 2048 (the default quota) to 4096 (the most IAM allows)',
    ),
    allowAllActionsOnAllResources: optionalBoolean(
      g,
      'allowAllActionsOnAllResources',
      path,
      problems,
    ),
    allowServiceAccountPatterns: optionalBoolean(
      g,
      'allowServiceAccountPatterns',
      path,
      problems,
    ),
  };
}

function readPreset(
  preset: Config,
  at: string,
  problems: Problems,
): PolicyPreset | undefined {
  const before = problems.list.length;
  const name = requiredString(preset, 'name', at, problems);
  const title = requiredString(preset, 'title', at, problems);
  const description = optionalString(preset, 'description', at, problems);
  const policyArns = stringList(preset, 'policyArns', at, problems);
  const inlinePolicy = preset.getOptional('inlinePolicy');
  if (
    inlinePolicy !== undefined &&
    (typeof inlinePolicy !== 'object' ||
      inlinePolicy === null ||
      Array.isArray(inlinePolicy))
  ) {
    problems.add(
      `${at}.inlinePolicy`,
      'must be an IAM policy document (an object with Version and Statement)',
    );
  }
  let parameterConfigs: Config[] = [];
  try {
    parameterConfigs = preset.getOptionalConfigArray('parameters') ?? [];
  } catch {
    problems.add(
      `${at}.parameters`,
      'must be a list of {name, title, description, pattern}',
    );
  }
  const parameters = parameterConfigs.map((p, j) => {
    const pat = `${at}.parameters[${j}]`;
    return {
      name: requiredString(p, 'name', pat, problems) ?? '',
      title: requiredString(p, 'title', pat, problems) ?? '',
      description: optionalString(p, 'description', pat, problems) ?? '',
      pattern: requiredString(p, 'pattern', pat, problems) ?? '',
    };
  });
  if (problems.list.length > before || !name || !title) return undefined;
  const value: PolicyPreset = {
    name,
    title,
    description: description ?? '',
    policyArns,
    ...(inlinePolicy !== undefined
      ? { inlinePolicy: inlinePolicy as Record<string, unknown> }
      : {}),
    parameters,
  };
  for (const p of policyPresetProblems(value)) {
    problems.add(`${at}.${p.field}`, p.message);
  }
  return value;
}

/**
 * `irsa.presets`: each well-formed (see policyPresetProblems: its inline policy rendered
 * with stand-in values passes IAM's grammar and size), names unique. Guardrails
 * (allowed managed policies, `*` on `*`) are applied to each request, as for any request.
 */
function readPresets(root: Config, problems: Problems): PolicyPreset[] {
  const path = 'irsa.presets';
  let configs: Config[] = [];
  try {
    configs = root.getOptionalConfigArray(path) ?? [];
  } catch {
    problems.add(path, 'must be a list of presets');
    return [];
  }
  const presets: PolicyPreset[] = [];
  configs.forEach((c, i) => {
    const preset = readPreset(c, `${path}[${i}]`, problems);
    if (!preset) return;
    if (presets.some(p => p.name === preset.name)) {
      problems.add(
        `${path}[${i}].name`,
        `preset name "${preset.name}" is used twice`,
      );
    }
    presets.push(preset);
  });
  return presets;
}

function readNamespaceOwnership(
  root: Config,
  problems: Problems,
): NamespaceOwnership {
  const path = 'irsa.namespaceOwnership';
  const section = root.getOptionalConfig(path);
  const source = section?.getOptional('source') ?? 'annotation';
  if (source === 'annotation') {
    if (section?.getOptional('namespaces') !== undefined) {
      problems.add(
        `${path}.namespaces`,
        'is only read with source: config; set source: config or remove it',
      );
    }
    return { source: 'annotation' };
  }
  if (source !== 'config') {
    problems.add(`${path}.source`, 'must be "annotation" or "config"');
    return { source: 'annotation' };
  }
  let entries: Config[] = [];
  try {
    entries = section?.getOptionalConfigArray('namespaces') ?? [];
  } catch {
    problems.add(`${path}.namespaces`, 'must be a list of {name, owners}');
  }
  if (entries.length === 0) {
    problems.add(
      `${path}.namespaces`,
      'list at least one namespace with its owners when source is config',
    );
  }
  const namespaces = entries.map((e, i) => {
    const at = `${path}.namespaces[${i}]`;
    const name = requiredString(e, 'name', at, problems) ?? '';
    const owners = stringList(e, 'owners', at, problems);
    if (owners.length === 0)
      problems.add(`${at}.owners`, 'list at least one owner');
    return { name, owners };
  });
  return { source: 'config', namespaces };
}

function readRateLimit(
  root: Config,
  key: string,
  fallback: RateLimit,
  problems: Problems,
): RateLimit {
  const path = `irsa.verify.rateLimit.${key}`;
  const section = root.getOptionalConfig(path);
  if (!section) return fallback;
  const limit = section.getOptional('limit');
  const windowSeconds = section.getOptional('windowSeconds');
  const whole = (v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 1;
  if (!whole(limit))
    problems.add(`${path}.limit`, 'must be a whole number >= 1');
  if (!whole(windowSeconds)) {
    problems.add(`${path}.windowSeconds`, 'must be a whole number >= 1');
  }
  return whole(limit) && whole(windowSeconds)
    ? { limit: limit as number, windowSeconds: windowSeconds as number }
    : fallback;
}

/** A host name, an IP address, or an IP range in CIDR notation. */
function validAllowedHost(entry: string): boolean {
  const [ip, prefix, extra] = entry.split('/');
  if (prefix !== undefined) {
    const bits = Number(prefix);
    const max = isIP(ip) === 4 ? 32 : 128;
    return (
      extra === undefined &&
      isIP(ip) !== 0 &&
      /^\d+$/.test(prefix) &&
      bits >= 0 &&
      bits <= max
    );
  }
  return isIP(ip) !== 0 || /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(ip);
}

function readOutbound(root: Config, problems: Problems): OutboundPolicy {
  const path = 'irsa.outbound';
  const section = root.getOptionalConfig(path);
  if (!section) return DEFAULT_OUTBOUND_POLICY;
  const allowedHosts = stringList(section, 'allowedHosts', path, problems);
  for (const h of allowedHosts) {
    if (!validAllowedHost(h)) {
      problems.add(
        `${path}.allowedHosts`,
        `"${h}" is not a host name, IP address or CIDR range`,
      );
    }
  }
  const caCertificates: string[] = [];
  const caData = optionalString(section, 'caData', path, problems);
  if (caData) {
    const pem = Buffer.from(caData, 'base64').toString('utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      problems.add(
        `${path}.caData`,
        'must be base64 of a PEM certificate bundle',
      );
    } else {
      caCertificates.push(pem);
    }
  }
  const number = (key: string, fallback: number, min: number, max: number) =>
    wholeNumber(section, path, key, fallback, [min, max], problems);
  return {
    allowedHosts: allowedHosts.map(h => h.toLocaleLowerCase('en-US')),
    caCertificates,
    timeoutMs:
      number(
        'timeoutSeconds',
        DEFAULT_OUTBOUND_POLICY.timeoutMs / 1000,
        1,
        60,
      ) * 1000,
    maxResponseBytes: number(
      'maxResponseBytes',
      DEFAULT_OUTBOUND_POLICY.maxResponseBytes,
      1024,
      16 * 1024 * 1024,
    ),
  };
}

/** Verify limits when `irsa.verify.rateLimit` is not set. */
export const DEFAULT_VERIFY_RATE_LIMIT = {
  perUser: { limit: 10, windowSeconds: 60 },
  perEntity: { limit: 30, windowSeconds: 60 },
};

/**
 * Reads and validates the `irsa` section of the app config.
 *
 * @throws IrsaConfigError listing every problem with its config key.
 * @public
 */
export function readIrsaConfig(root: Config): IrsaConfig {
  const problems = new Problems();
  const section = root.getOptional('irsa');
  if (section === undefined) {
    throw new IrsaConfigError([
      'irsa: the section is missing; add `irsa.clusters` (see docs/configuration.md)',
    ]);
  }
  let clusterConfigs: Config[] = [];
  try {
    clusterConfigs = root.getOptionalConfigArray('irsa.clusters') ?? [];
  } catch {
    problems.add('irsa.clusters', 'must be a list of cluster objects');
  }
  if (clusterConfigs.length === 0 && problems.list.length === 0) {
    problems.add('irsa.clusters', 'list at least one cluster');
  }
  const clusters: IrsaClusterConfig[] = [];
  clusterConfigs.forEach((c, i) => {
    const cluster = readCluster(root, c, `irsa.clusters[${i}]`, problems);
    if (cluster) clusters.push(cluster);
  });
  const seen = new Set<string>();
  for (const c of clusters) {
    if (seen.has(c.name)) {
      problems.add('irsa.clusters', `cluster name "${c.name}" is used twice`);
    }
    seen.add(c.name);
  }
  const guardrails = readGuardrails(root, problems);
  const presets = readPresets(root, problems);
  const entityKinds = (
    root.getOptional('irsa.entityKinds') === undefined
      ? ['Component']
      : stringList(
          root.getOptionalConfig('irsa'),
          'entityKinds',
          'irsa',
          problems,
        )
  ).map(k => k.toLocaleLowerCase('en-US'));
  if (
    root.getOptional('irsa.entityKinds') !== undefined &&
    !entityKinds.length
  ) {
    problems.add('irsa.entityKinds', 'list at least one kind, e.g. Component');
  }
  const namespaceOwnership = readNamespaceOwnership(root, problems);
  const verifyRateLimit = {
    perUser: readRateLimit(
      root,
      'perUser',
      DEFAULT_VERIFY_RATE_LIMIT.perUser,
      problems,
    ),
    perEntity: readRateLimit(
      root,
      'perEntity',
      DEFAULT_VERIFY_RATE_LIMIT.perEntity,
      problems,
    ),
  };
  const outbound = readOutbound(root, problems);
  const awsSection = root.getOptionalConfig('irsa.aws');
  const aws = {
    connectTimeoutMs:
      wholeNumber(
        awsSection,
        'irsa.aws',
        'connectTimeoutSeconds',
        3,
        [1, 60],
        problems,
      ) * 1000,
    requestTimeoutMs:
      wholeNumber(
        awsSection,
        'irsa.aws',
        'requestTimeoutSeconds',
        10,
        [1, 300],
        problems,
      ) * 1000,
    maxAttempts: wholeNumber(
      awsSection,
      'irsa.aws',
      'maxAttempts',
      3,
      [1, 10],
      problems,
    ),
    maxConcurrency: wholeNumber(
      awsSection,
      'irsa.aws',
      'maxConcurrency',
      10,
      [1, 100],
      problems,
    ),
  };
  const kubernetesSection = root.getOptionalConfig('irsa.kubernetes');
  const kubernetesTimeoutMs =
    wholeNumber(
      kubernetesSection,
      'irsa.kubernetes',
      'requestTimeoutSeconds',
      10,
      [1, 300],
      problems,
    ) * 1000;
  const kubernetesMaxConcurrency = wholeNumber(
    kubernetesSection,
    'irsa.kubernetes',
    'maxConcurrency',
    10,
    [1, 100],
    problems,
  );
  const cacheSection = root.getOptionalConfig('irsa.cache');
  const cache = {
    readTtlMs:
      wholeNumber(
        cacheSection,
        'irsa.cache',
        'readTtlSeconds',
        300,
        [0, 3600],
        problems,
      ) * 1000,
    statusTtlMs:
      wholeNumber(
        cacheSection,
        'irsa.cache',
        'statusTtlSeconds',
        10,
        [0, 300],
        problems,
      ) * 1000,
  };
  if (problems.list.length > 0) throw new IrsaConfigError(problems.list);
  return {
    clusters,
    guardrails,
    presets,
    entityKinds,
    namespaceOwnership,
    verifyRateLimit,
    outbound,
    aws,
    kubernetesTimeoutMs,
    kubernetesMaxConcurrency,
    cache,
  };
}
