import { IRSA_SERVICE_ACCOUNTS_ANNOTATION } from './constants';
import { ParseResult, Problem, quote } from './problems';
import {
  namespaceProblems,
  serviceAccountNameProblems,
} from './validators/kubernetesNames';

/**
 * A ServiceAccount named in the catalog annotation; without `cluster` it refers to every
 * configured cluster that has it.
 *
 * @public
 */
export interface ServiceAccountRef {
  cluster?: string;
  namespace: string;
  name: string;
}

// Cluster names come from `irsa.clusters[].name`; EKS names are letters, digits, - and _,
// up to 100 characters. Dots are allowed for config names such as "prod.eu-west-1".
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const EXAMPLE = 'payments/payments-api, prod-eu/payments/payments-worker';

/**
 * Parses the `irsa.backstage.io/service-accounts` annotation: comma-separated
 * `[cluster/]namespace/name` entries, white space around entries ignored. Every problem is
 * reported, each naming the entry it is about.
 *
 * @public
 */
export function parseServiceAccountsAnnotation(
  value: string,
): ParseResult<ServiceAccountRef[]> {
  const field = IRSA_SERVICE_ACCOUNTS_ANNOTATION;
  const problems: Problem[] = [];
  const refs: ServiceAccountRef[] = [];
  const seen = new Set<string>();
  const entries = value.split(',').map(e => e.trim());
  entries.forEach((entry, i) => {
    const where = `entry ${i + 1} of ${quote(value)}`;
    const parts = entry.split('/');
    if (entry === '' || parts.length < 2 || parts.length > 3) {
      problems.push({
        field,
        message: `${where} is ${quote(
          entry,
        )}: each entry must be "namespace/name" or "cluster/namespace/name", separated by commas (for example ${quote(
          EXAMPLE,
        )}).`,
      });
      return;
    }
    const [cluster, namespace, name]: [string | undefined, string, string] =
      parts.length === 3
        ? [parts[0], parts[1], parts[2]]
        : [undefined, parts[0], parts[1]];
    const entryProblems: Problem[] = [];
    if (cluster !== undefined && !CLUSTER_NAME.test(cluster)) {
      entryProblems.push({
        field,
        message: `${where} names cluster ${quote(
          cluster,
        )}: a cluster name is 1–100 letters, digits, "-", "_" or ".", starting with a letter or digit, as in irsa.clusters[].name (for example ${quote(
          EXAMPLE,
        )}).`,
      });
    }
    for (const p of [
      ...namespaceProblems(namespace, field),
      ...serviceAccountNameProblems(name, field),
    ]) {
      entryProblems.push({ field, message: `In ${where}: ${p.message}` });
    }
    problems.push(...entryProblems);
    if (entryProblems.length > 0) {
      return;
    }
    const ref: ServiceAccountRef =
      cluster === undefined
        ? { namespace, name }
        : { cluster, namespace, name };
    const id = formatServiceAccountRef(ref);
    if (seen.has(id)) {
      problems.push({
        field,
        message: `${where} repeats ${quote(
          id,
        )}: list each ServiceAccount once (for example ${quote(EXAMPLE)}).`,
      });
      return;
    }
    seen.add(id);
    refs.push(ref);
  });
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, value: refs };
}

/**
 * Formats one reference as `[cluster/]namespace/name`.
 *
 * @public
 */
export function formatServiceAccountRef(ref: ServiceAccountRef): string {
  return ref.cluster === undefined
    ? `${ref.namespace}/${ref.name}`
    : `${ref.cluster}/${ref.namespace}/${ref.name}`;
}

/**
 * Formats references as the annotation value, in the given order, separated by `", "`.
 * The result parses back to the same references.
 *
 * @public
 */
export function formatServiceAccountsAnnotation(
  refs: readonly ServiceAccountRef[],
): string {
  return refs.map(formatServiceAccountRef).join(', ');
}
