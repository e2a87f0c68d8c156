import { ParseResult, quote } from '../problems';

/**
 * A catalog entity named by a request, in the catalog's canonical form.
 *
 * @public
 */
export interface RequestEntityRef {
  kind: string;
  namespace: string;
  name: string;
  /** `kind:namespace/name`, kind and namespace lower-cased as the catalog compares them. */
  ref: string;
}

// The catalog's own naming rules (catalog-model's KubernetesValidatorFunctions): kinds are
// letters and digits, namespaces DNS-1123 labels, names up to 63 characters of letters,
// digits, `-`, `_` and `.`. Written out because catalog-model's parseEntityRef accepts any
// characters in the name (`component:default/../../group/x` parses), and a request's
// entity ends up in IAM tags and Kubernetes annotations, so it must be exact.
const KIND = /^[a-zA-Z][a-zA-Z0-9]{0,62}$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAME = /^[a-zA-Z0-9]([-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const EXAMPLE = 'component:default/payments-api';

/**
 * Parses the entity a request names: `kind:[namespace/]name`, the namespace `default` when
 * omitted. Anything else — empty, a bare name, path tricks, extra separators — is refused,
 * because the product records the result as the owner of roles and ServiceAccounts.
 *
 * @public
 */
export function parseRequestEntityRef(
  raw: string,
  field = 'entityRef',
): ParseResult<RequestEntityRef> {
  const fail = (why: string): ParseResult<RequestEntityRef> => ({
    ok: false,
    problems: [
      {
        field,
        message: `The entity ${quote(
          raw,
        )} ${why}; write it as kind:namespace/name, for example "${EXAMPLE}".`,
      },
    ],
  });
  if (typeof raw !== 'string' || raw.trim() === '') {
    return fail('is empty: say which catalog entity the access is for');
  }
  const colon = raw.indexOf(':');
  if (colon < 0) return fail('has no kind');
  const kind = raw.slice(0, colon);
  const rest = raw.slice(colon + 1);
  const parts = rest.split('/');
  if (parts.length > 2) return fail('has more than one "/"');
  const [namespace, name] = parts.length === 2 ? parts : ['default', parts[0]];
  if (!KIND.test(kind)) return fail(`has an invalid kind ${quote(kind)}`);
  if (!NAMESPACE.test(namespace)) {
    return fail(`has an invalid namespace ${quote(namespace)}`);
  }
  if (!NAME.test(name)) return fail(`has an invalid name ${quote(name)}`);
  const lowerKind = kind.toLocaleLowerCase('en-US');
  return {
    ok: true,
    value: {
      kind: lowerKind,
      namespace,
      name,
      ref: `${lowerKind}:${namespace}/${name}`,
    },
  };
}

/**
 * The canonical ref of an entity object (`kind:namespace/name`, kind lower-cased).
 *
 * @public
 */
export function entityRefOf(entity: {
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  return `${entity.kind.toLocaleLowerCase('en-US')}:${
    entity.metadata.namespace ?? 'default'
  }/${entity.metadata.name}`;
}
