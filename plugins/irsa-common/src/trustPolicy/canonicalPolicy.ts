import {
  PolicyDocument,
  PolicyPrincipal,
  PolicyStatement,
  PolicyStringOrList,
} from './types';

const DOCUMENT_ORDER = ['Version', 'Id', 'Statement'];
const STATEMENT_ORDER = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];

// Code-unit order, not localeCompare: the bytes must not depend on the runtime's locale.
function byCodeUnit(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Sorted, de-duplicated, and a lone value written as a string: all meaning-preserving in IAM. */
function canonicalList(value: unknown): PolicyStringOrList {
  const items = (Array.isArray(value) ? value : [value]).map(v => String(v));
  const unique = [...new Set(items)].sort(byCodeUnit);
  return unique.length === 1 ? unique[0] : unique;
}

function ordered(
  entries: Record<string, unknown>,
  order: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of order) {
    if (entries[key] !== undefined) {
      out[key] = entries[key];
    }
  }
  for (const key of Object.keys(entries)
    .filter(k => !order.includes(k))
    .sort(byCodeUnit)) {
    out[key] = entries[key];
  }
  return out;
}

function canonicalPrincipal(principal: PolicyPrincipal): PolicyPrincipal {
  if (
    principal === '*' ||
    typeof principal !== 'object' ||
    principal === null
  ) {
    return principal;
  }
  const out: Record<string, PolicyStringOrList> = {};
  for (const type of Object.keys(principal).sort(byCodeUnit)) {
    out[type] = canonicalList(principal[type]);
  }
  return out;
}

function canonicalCondition(
  condition: Record<string, Record<string, unknown>>,
): Record<string, Record<string, PolicyStringOrList>> {
  const out: Record<string, Record<string, PolicyStringOrList>> = {};
  for (const operator of Object.keys(condition).sort(byCodeUnit)) {
    const block = condition[operator];
    const keys: Record<string, PolicyStringOrList> = {};
    for (const key of Object.keys(block).sort(byCodeUnit)) {
      keys[key] = canonicalList(block[key]);
    }
    out[operator] = keys;
  }
  return out;
}

function canonicalStatement(statement: PolicyStatement): PolicyStatement {
  const s = statement as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { ...s };
  for (const key of ['Principal', 'NotPrincipal'] as const) {
    if (statement[key] !== undefined) {
      out[key] = canonicalPrincipal(statement[key]!);
    }
  }
  for (const key of [
    'Action',
    'NotAction',
    'Resource',
    'NotResource',
  ] as const) {
    if (statement[key] !== undefined) {
      out[key] = canonicalList(statement[key]);
    }
  }
  if (statement.Condition !== undefined) {
    out.Condition = canonicalCondition(statement.Condition);
  }
  return ordered(out, STATEMENT_ORDER) as unknown as PolicyStatement;
}

/**
 * The canonical form of a policy document: elements in IAM's documented order, principal
 * types, operators and keys sorted, value lists sorted and de-duplicated, one-element lists
 * written as strings, and `Statement` always a list. Statement order is kept. Every step
 * preserves what IAM evaluates, so two policies with the same canonical form behave alike.
 *
 * @public
 */
export function canonicalizePolicyDocument(
  document: PolicyDocument,
): PolicyDocument {
  const statements = Array.isArray(document.Statement)
    ? document.Statement
    : [document.Statement];
  return ordered(
    { ...document, Statement: statements.map(canonicalStatement) },
    DOCUMENT_ORDER,
  ) as unknown as PolicyDocument;
}

/**
 * The canonical form as JSON text (2-space indent): same policy, same bytes, so a re-run
 * can tell "nothing to change" by comparing strings.
 *
 * @public
 */
export function canonicalPolicyJson(document: PolicyDocument): string {
  return JSON.stringify(canonicalizePolicyDocument(document), null, 2);
}

/**
 * True when two policy documents have the same canonical form.
 *
 * @public
 */
export function policyDocumentsEquivalent(
  a: PolicyDocument,
  b: PolicyDocument,
): boolean {
  return canonicalPolicyJson(a) === canonicalPolicyJson(b);
}
