import { ParseResult, Problem, quote } from '../problems';
import {
  ConditionOperator,
  parseConditionOperator,
} from './conditionOperators';
import { PolicyDocument } from './types';

/**
 * Which grammar to apply: a role trust policy (needs `Principal`, has no `Resource`) or an
 * identity (permissions) policy (needs `Resource`, has no `Principal`).
 *
 * @public
 */
export type PolicyKind = 'trust' | 'identity';

/**
 * A `Principal`/`NotPrincipal` element in one shape: `any` for `"*"`, otherwise lists of
 * principals by type.
 *
 * @public
 */
export type ParsedPrincipal =
  | { any: true }
  | { any: false; byType: Readonly<Record<string, readonly string[]>> };

/**
 * One condition: operator, key as written, and policy values as strings.
 *
 * @public
 */
export interface ParsedCondition {
  operator: ConditionOperator;
  key: string;
  values: readonly string[];
}

/**
 * A statement with every list-or-string element turned into a list.
 *
 * @public
 */
export interface ParsedStatement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal?: ParsedPrincipal;
  notPrincipal?: ParsedPrincipal;
  action?: readonly string[];
  notAction?: readonly string[];
  resource?: readonly string[];
  notResource?: readonly string[];
  conditions: readonly ParsedCondition[];
}

/**
 * A policy that passed the grammar check, with the original document kept for rewriting.
 *
 * @public
 */
export interface ParsedPolicy {
  version?: string;
  id?: string;
  statements: readonly ParsedStatement[];
  document: PolicyDocument;
}

/**
 * Versions IAM accepts; `2012-10-17` is the one with policy variables.
 *
 * @public
 */
export const POLICY_VERSIONS: readonly string[] = Object.freeze([
  '2012-10-17',
  '2008-10-17',
]);

const TOP_LEVEL_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = [
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
const PRINCIPAL_TYPES = ['AWS', 'Federated', 'Service', 'CanonicalUser'];
// CreateRole/PutRolePolicy accept tab, LF, CR and U+0020–U+00FF only.
function isAllowedChar(ch: string): boolean {
  const code = ch.codePointAt(0)!;
  return (
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x20 && code <= 0xff)
  );
}
const SID = /^[A-Za-z0-9]*$/;

const TRUST_EXAMPLE =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub":"system:serviceaccount:payments:payments-api","oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:aud":"sts.amazonaws.com"}}}]}';
const IDENTITY_EXAMPLE =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::payments-bucket/*"}]}';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Collector {
  readonly problems: Problem[] = [];
  constructor(private readonly example: string) {}
  add(field: string, what: string, rule: string) {
    this.problems.push({
      field,
      message: `${what}: ${rule} (for example ${this.example}).`,
    });
  }
}

function stringList(
  value: unknown,
  field: string,
  name: string,
  c: Collector,
): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some(v => typeof v !== 'string' || v === '')) {
    c.add(
      field,
      `${name} is ${JSON.stringify(value)}`,
      `it must be a non-empty string or a non-empty list of non-empty strings`,
    );
    return undefined;
  }
  return list as string[];
}

function parsePrincipal(
  value: unknown,
  field: string,
  c: Collector,
): ParsedPrincipal | undefined {
  if (value === '*') {
    return { any: true };
  }
  if (!isRecord(value) || Object.keys(value).length === 0) {
    c.add(
      field,
      `${field} is ${JSON.stringify(value)}`,
      `it must be "*" or a map from principal type (${PRINCIPAL_TYPES.join(
        ', ',
      )}) to principals`,
    );
    return undefined;
  }
  const byType: Record<string, string[]> = {};
  let ok = true;
  for (const [type, principals] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.includes(type)) {
      c.add(
        `${field}.${type}`,
        `${field} has principal type ${quote(type)}`,
        `principal types are ${PRINCIPAL_TYPES.join(', ')}`,
      );
      ok = false;
      continue;
    }
    const list = stringList(
      principals,
      `${field}.${type}`,
      `${field}.${type}`,
      c,
    );
    if (list) {
      byType[type] = list;
    } else {
      ok = false;
    }
  }
  return ok ? { any: false, byType } : undefined;
}

function parseActions(
  value: unknown,
  field: string,
  c: Collector,
): string[] | undefined {
  const list = stringList(value, field, field, c);
  if (!list) {
    return undefined;
  }
  let ok = true;
  for (const action of list) {
    if (action !== '*' && !/^[^:]+:[^:]+$/.test(action)) {
      c.add(
        field,
        `${field} contains ${quote(action)}`,
        `each action is "*" or "<service>:<action>", such as "sts:AssumeRoleWithWebIdentity"`,
      );
      ok = false;
    }
  }
  return ok ? list : undefined;
}

function parseConditions(
  value: unknown,
  field: string,
  c: Collector,
): ParsedCondition[] | undefined {
  if (!isRecord(value)) {
    c.add(
      field,
      `${field} is ${JSON.stringify(value)}`,
      `a Condition is a map from operator to a map from condition key to value(s)`,
    );
    return undefined;
  }
  const conditions: ParsedCondition[] = [];
  let ok = true;
  for (const [name, block] of Object.entries(value)) {
    const opField = `${field}.${name}`;
    const operator = parseConditionOperator(name);
    if (!operator) {
      c.add(
        opField,
        `${quote(name)} is not a condition operator IAM defines`,
        `use a documented operator such as "StringEquals", "StringLike", "ForAnyValue:StringLike" or "StringEqualsIfExists" (IfExists and set qualifiers do not apply to "Null")`,
      );
      ok = false;
      continue;
    }
    if (!isRecord(block) || Object.keys(block).length === 0) {
      c.add(
        opField,
        `${opField} is ${JSON.stringify(block)}`,
        `each operator maps one or more condition keys to value(s)`,
      );
      ok = false;
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const keyField = `${opField}.${key}`;
      if (!/^[^:]+:.+$/.test(key)) {
        c.add(
          keyField,
          `the condition key ${quote(key)} has no prefix`,
          `condition keys are "<prefix>:<name>", such as "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub" or "aws:SourceIp"`,
        );
        ok = false;
        continue;
      }
      const list = Array.isArray(raw) ? raw : [raw];
      const scalar = (v: unknown) =>
        typeof v === 'string' ||
        typeof v === 'number' ||
        typeof v === 'boolean';
      if (list.length === 0 || !list.every(scalar)) {
        c.add(
          keyField,
          `${keyField} is ${JSON.stringify(raw)}`,
          `a condition value is a string, number or boolean, or a non-empty list of them`,
        );
        ok = false;
        continue;
      }
      const values = list.map(v => String(v));
      if (
        operator.family === 'Null' &&
        values.some(v => v !== 'true' && v !== 'false')
      ) {
        c.add(
          keyField,
          `${keyField} is ${JSON.stringify(raw)}`,
          `"Null" takes "true" (key absent) or "false" (key present)`,
        );
        ok = false;
        continue;
      }
      conditions.push({ operator, key, values });
    }
  }
  return ok ? conditions : undefined;
}

function parseStatement(
  raw: unknown,
  index: number,
  kind: PolicyKind,
  c: Collector,
): ParsedStatement | undefined {
  const field = `Statement[${index}]`;
  if (!isRecord(raw)) {
    c.add(
      field,
      `${field} is ${JSON.stringify(raw)}`,
      'each statement is a JSON object',
    );
    return undefined;
  }
  const before = c.problems.length;
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.includes(key)) {
      c.add(
        `${field}.${key}`,
        `${field} has the element ${quote(key)}`,
        `statement elements are ${STATEMENT_KEYS.join(
          ', ',
        )} (names are case-sensitive)`,
      );
    }
  }
  const sid = raw.Sid;
  if (sid !== undefined && (typeof sid !== 'string' || !SID.test(sid))) {
    c.add(
      `${field}.Sid`,
      `${field}.Sid is ${JSON.stringify(sid)}`,
      'a Sid contains only ASCII letters and digits',
    );
  }
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    c.add(
      `${field}.Effect`,
      `${field}.Effect is ${JSON.stringify(effect)}`,
      'Effect is required and must be "Allow" or "Deny" (case-sensitive)',
    );
  }
  const has = (k: string) => raw[k] !== undefined;
  const exactlyOne = (a: string, b: string, why: string) => {
    if (has(a) === has(b)) {
      c.add(
        field,
        `${field} has ${has(a) ? 'both' : 'neither'} ${a} and ${b}`,
        why,
      );
    }
  };
  exactlyOne(
    'Action',
    'NotAction',
    'a statement has exactly one of Action and NotAction',
  );
  if (kind === 'trust') {
    exactlyOne(
      'Principal',
      'NotPrincipal',
      'a role trust policy statement has exactly one of Principal and NotPrincipal',
    );
    for (const k of ['Resource', 'NotResource']) {
      if (has(k)) {
        c.add(
          `${field}.${k}`,
          `${field} has ${k}`,
          'a role trust policy has no Resource: the role itself is the resource',
        );
      }
    }
  } else {
    exactlyOne(
      'Resource',
      'NotResource',
      'a permissions policy statement has exactly one of Resource and NotResource',
    );
    for (const k of ['Principal', 'NotPrincipal']) {
      if (has(k)) {
        c.add(
          `${field}.${k}`,
          `${field} has ${k}`,
          'a permissions policy has no Principal: it applies to the identity it is attached to',
        );
      }
    }
  }
  const principal = has('Principal')
    ? parsePrincipal(raw.Principal, `${field}.Principal`, c)
    : undefined;
  const notPrincipal = has('NotPrincipal')
    ? parsePrincipal(raw.NotPrincipal, `${field}.NotPrincipal`, c)
    : undefined;
  const action = has('Action')
    ? parseActions(raw.Action, `${field}.Action`, c)
    : undefined;
  const notAction = has('NotAction')
    ? parseActions(raw.NotAction, `${field}.NotAction`, c)
    : undefined;
  const resource = has('Resource')
    ? stringList(raw.Resource, `${field}.Resource`, `${field}.Resource`, c)
    : undefined;
  const notResource = has('NotResource')
    ? stringList(
        raw.NotResource,
        `${field}.NotResource`,
        `${field}.NotResource`,
        c,
      )
    : undefined;
  const conditions = has('Condition')
    ? parseConditions(raw.Condition, `${field}.Condition`, c)
    : [];
  if (c.problems.length > before) {
    return undefined;
  }
  return {
    index,
    ...(typeof sid === 'string' ? { sid } : {}),
    effect: effect as 'Allow' | 'Deny',
    ...(principal ? { principal } : {}),
    ...(notPrincipal ? { notPrincipal } : {}),
    ...(action ? { action } : {}),
    ...(notAction ? { notAction } : {}),
    ...(resource ? { resource } : {}),
    ...(notResource ? { notResource } : {}),
    conditions: conditions ?? [],
  };
}

/**
 * Checks a policy document against IAM's policy grammar and returns it in one normalised
 * shape, or every grammar problem found.
 *
 * @remarks
 * Accepts the JSON text or an already-parsed value. Text may contain only tab, line feed,
 * carriage return and U+0020–U+00FF, as `CreateRole` and `PutRolePolicy` require; an
 * object is checked in its `JSON.stringify` form. Duplicate JSON keys cannot be detected
 * (the last one wins, as in `JSON.parse`).
 *
 * @public
 */
export function parsePolicyDocument(
  input: unknown,
  kind: PolicyKind,
): ParseResult<ParsedPolicy> {
  const c = new Collector(kind === 'trust' ? TRUST_EXAMPLE : IDENTITY_EXAMPLE);
  let raw: unknown = input;
  const text = typeof input === 'string' ? input : JSON.stringify(input) ?? '';
  const bad = [...new Set([...text].filter(ch => !isAllowedChar(ch)))];
  if (bad.length > 0) {
    c.add(
      'document',
      `The policy contains ${bad
        .map(
          ch =>
            `U+${ch
              .codePointAt(0)!
              .toString(16)
              .toUpperCase()
              .padStart(4, '0')}`,
        )
        .join(', ')}`,
      'IAM accepts only tab, line feed, carriage return and characters U+0020–U+00FF in policy documents',
    );
  }
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      c.add(
        'document',
        `The policy is not valid JSON (${(e as Error).message})`,
        'a policy document is one JSON object',
      );
      return { ok: false, problems: c.problems };
    }
  }
  if (!isRecord(raw)) {
    c.add(
      'document',
      `The policy is ${JSON.stringify(raw)}`,
      'a policy document is a JSON object with "Version" and "Statement"',
    );
    return { ok: false, problems: c.problems };
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      c.add(
        key,
        `The policy has the top-level element ${quote(key)}`,
        `top-level elements are ${TOP_LEVEL_KEYS.join(
          ', ',
        )} (names are case-sensitive)`,
      );
    }
  }
  const version = raw.Version;
  if (
    version !== undefined &&
    (typeof version !== 'string' || !POLICY_VERSIONS.includes(version))
  ) {
    c.add(
      'Version',
      `Version is ${JSON.stringify(version)}`,
      `Version must be "2012-10-17" (or the legacy "2008-10-17")`,
    );
  }
  if (raw.Id !== undefined && typeof raw.Id !== 'string') {
    c.add('Id', `Id is ${JSON.stringify(raw.Id)}`, 'Id is a string');
  }
  let rawStatements: unknown[] = [];
  if (Array.isArray(raw.Statement)) {
    rawStatements = raw.Statement;
  } else if (raw.Statement !== undefined) {
    rawStatements = [raw.Statement];
  }
  if (rawStatements.length === 0) {
    c.add(
      'Statement',
      'The policy has no statements',
      'Statement is required and holds one statement object or a non-empty list of them',
    );
  }
  const statements: ParsedStatement[] = [];
  const sids = new Set<string>();
  rawStatements.forEach((s: unknown, i: number) => {
    const parsed = parseStatement(s, i, kind, c);
    if (parsed?.sid) {
      if (sids.has(parsed.sid)) {
        c.add(
          `Statement[${i}].Sid`,
          `The Sid ${quote(parsed.sid)} is used twice`,
          'Sids must be unique within a policy',
        );
      }
      sids.add(parsed.sid);
    }
    if (parsed) {
      statements.push(parsed);
    }
  });
  if (c.problems.length > 0) {
    return { ok: false, problems: c.problems };
  }
  return {
    ok: true,
    value: {
      ...(typeof version === 'string' ? { version } : {}),
      ...(typeof raw.Id === 'string' ? { id: raw.Id } : {}),
      statements,
      document: raw as unknown as PolicyDocument,
    },
  };
}
