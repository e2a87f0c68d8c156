import { parsePolicyArn } from '../arn';
import { Problem, ParseResult, quote } from '../problems';
import { parsePolicyDocument } from '../trustPolicy/parsePolicyDocument';
import { PolicyDocument } from '../trustPolicy/types';
import { allowAllOnAllProblems } from './inlinePolicyRules';
import { policyNameProblems } from './iamNames';
import {
  DEFAULT_ROLE_INLINE_POLICIES_SIZE_LIMIT,
  iamPolicySize,
} from './policySize';

/**
 * A preset's name: lower-case letters, digits and `-`, at most this long, so that
 * `preset-<name>` is a valid inline policy name with room to spare.
 *
 * @public
 */
export const PRESET_NAME_MAX_LENGTH = 40;

const PRESET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
// `${name}` with an identifier inside. IAM's own policy variables (`${aws:username}`,
// `${*}`) contain characters an identifier cannot, so they are left alone.
const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const PARAMETER_VALUE_MAX_LENGTH = 256;
// Printable ASCII without white space, IAM wildcards or policy-variable syntax: whatever a
// platform's pattern says, a value can never widen a resource or smuggle in a variable.
const SAFE_VALUE = /^[\x21-\x7e]+$/;
const UNSAFE_VALUE_CHARS = /[*?${}]/;

/**
 * The values every preset may use besides its own parameters.
 *
 * @public
 */
export const PRESET_BUILTIN_PLACEHOLDERS = Object.freeze([
  'partition',
  'accountId',
  'region',
  'namespace',
  'serviceAccount',
] as const);

/**
 * One parameter of a preset (`irsa.presets[].parameters[]`).
 *
 * @public
 */
export interface PolicyPresetParameter {
  /** An identifier, used as `${name}` in the inline policy. */
  name: string;
  title: string;
  description: string;
  /** A JavaScript regular expression the whole value must match. */
  pattern: string;
}

/**
 * A policy preset as the platform configures it (`irsa.presets[]`).
 *
 * @public
 */
export interface PolicyPreset {
  name: string;
  title: string;
  description: string;
  /** Managed policies attached with the preset; each also passes `allowedPolicyArns`. */
  policyArns: string[];
  /** An IAM identity policy whose strings may hold `${placeholder}`s. */
  inlinePolicy?: Record<string, unknown>;
  parameters: PolicyPresetParameter[];
}

/**
 * A preset as a request names it.
 *
 * @public
 */
export interface PresetSelection {
  name: string;
  parameters?: Record<string, string>;
}

/**
 * Where a preset is rendered: the role's partition, account and region, and the
 * ServiceAccount the request is for (none when it names a pattern).
 *
 * @public
 */
export interface PresetContext {
  partition: string;
  accountId: string;
  region: string;
  namespace: string;
  serviceAccount?: string;
}

/**
 * One inline policy a role must carry, rendered from a preset.
 *
 * @public
 */
export interface PresetInlinePolicy {
  /** `preset-<preset name>`: the policy name on the role. */
  name: string;
  preset: string;
  document: PolicyDocument;
}

/**
 * What the selected presets add to a role.
 *
 * @public
 */
export interface ResolvedPresets {
  /** Managed policies of the presets, each once, in the order they were selected. */
  policyArns: string[];
  inlinePolicies: PresetInlinePolicy[];
}

/**
 * The inline policy name under which a preset is written to a role.
 *
 * @public
 */
export function presetInlinePolicyName(presetName: string): string {
  return `preset-${presetName}`;
}

/** Every `${placeholder}` used in the string values of a document. */
function placeholdersOf(
  value: unknown,
  found = new Set<string>(),
): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) found.add(m[1]);
  } else if (Array.isArray(value)) {
    value.forEach(v => placeholdersOf(v, found));
  } else if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(v => placeholdersOf(v, found));
  }
  return found;
}

/** A copy of `value` with placeholders replaced in string values (never in keys). */
function substitute(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') {
    // Only the value changes, never the document's structure: substitution happens in
    // the parsed object, so no value can close a string or add a statement.
    return value.replace(PLACEHOLDER, (whole, name: string) =>
      Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole,
    );
  }
  if (Array.isArray(value)) return value.map(v => substitute(v, values));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, values)]),
    );
  }
  return value;
}

function compile(pattern: string): RegExp | undefined {
  try {
    // The whole value must match, whether or not the platform anchored its pattern.
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

/**
 * Problems with one preset as configured, each field relative to the preset (`name`,
 * `parameters[0].pattern`, `inlinePolicy.Statement[0].Resource`). The inline policy is
 * rendered with stand-in values and checked against IAM's grammar and size.
 *
 * @public
 */
export function policyPresetProblems(preset: PolicyPreset): Problem[] {
  const problems: Problem[] = [];
  if (
    preset.name.length > PRESET_NAME_MAX_LENGTH ||
    !PRESET_NAME.test(preset.name)
  ) {
    problems.push({
      field: 'name',
      message: `The preset name ${quote(
        preset.name,
      )} must be at most ${PRESET_NAME_MAX_LENGTH} lower-case letters, digits and "-", starting and ending with a letter or digit (for example "s3-read-bucket").`,
    });
  }
  if (preset.policyArns.length === 0 && preset.inlinePolicy === undefined) {
    problems.push({
      field: 'policyArns',
      message:
        'The preset grants nothing: give policyArns (managed policies), an inlinePolicy, or both.',
    });
  }
  preset.policyArns.forEach((arn, i) => {
    const parsed = parsePolicyArn(arn, `policyArns[${i}]`);
    if (!parsed.ok) problems.push(...parsed.problems);
  });
  const seen = new Set<string>();
  preset.parameters.forEach((p, i) => {
    const field = `parameters[${i}]`;
    if (!PARAMETER_NAME.test(p.name)) {
      problems.push({
        field: `${field}.name`,
        message: `The parameter name ${quote(
          p.name,
        )} must be an identifier: a letter, then letters, digits or "_" (for example "bucket").`,
      });
    } else if (
      (PRESET_BUILTIN_PLACEHOLDERS as readonly string[]).includes(p.name)
    ) {
      problems.push({
        field: `${field}.name`,
        message: `The parameter name ${quote(
          p.name,
        )} is a built-in placeholder (${PRESET_BUILTIN_PLACEHOLDERS.join(
          ', ',
        )}); choose another name.`,
      });
    }
    if (seen.has(p.name)) {
      problems.push({
        field: `${field}.name`,
        message: `The parameter ${quote(p.name)} is declared twice.`,
      });
    }
    seen.add(p.name);
    if (!compile(p.pattern)) {
      problems.push({
        field: `${field}.pattern`,
        message: `The pattern ${quote(
          p.pattern,
        )} is not a valid regular expression (for example "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$").`,
      });
    }
  });
  const used = placeholdersOf(preset.inlinePolicy);
  for (const name of used) {
    if (
      !seen.has(name) &&
      !(PRESET_BUILTIN_PLACEHOLDERS as readonly string[]).includes(name)
    ) {
      problems.push({
        field: 'inlinePolicy',
        message: `The inline policy uses \${${name}}, which is neither a parameter of the preset nor one of ${PRESET_BUILTIN_PLACEHOLDERS.map(
          b => `\${${b}}`,
        ).join(', ')}.`,
      });
    }
  }
  preset.parameters.forEach((p, i) => {
    const builtin = (PRESET_BUILTIN_PLACEHOLDERS as readonly string[]).includes(
      p.name,
    );
    if (!used.has(p.name) && !builtin) {
      problems.push({
        field: `parameters[${i}].name`,
        message: `The parameter ${quote(p.name)} is never used: put \${${
          p.name
        }} in the inline policy, or remove the parameter.`,
      });
    }
  });
  if (preset.inlinePolicy !== undefined) {
    // Stand-ins for every placeholder, so grammar and size are checked at start-up.
    const rendered = substitute(preset.inlinePolicy, {
      partition: 'aws',
      accountId: '123456789012',
      region: 'us-east-1',
      namespace: 'namespace',
      serviceAccount: 'service-account',
      ...Object.fromEntries(preset.parameters.map(p => [p.name, p.name])),
    });
    problems.push(
      ...inlineDocumentProblems(
        presetInlinePolicyName(preset.name),
        rendered,
        'inlinePolicy',
      ),
    );
  }
  return problems;
}

function inlineDocumentProblems(
  name: string,
  document: unknown,
  field: string,
): Problem[] {
  const problems = policyNameProblems(name, field);
  const parsed = parsePolicyDocument(document, 'identity');
  if (!parsed.ok) {
    problems.push(
      ...parsed.problems.map(p => ({ ...p, field: `${field}.${p.field}` })),
    );
  }
  const size = iamPolicySize(JSON.stringify(document));
  if (size > DEFAULT_ROLE_INLINE_POLICIES_SIZE_LIMIT) {
    problems.push({
      field,
      message: `The inline policy is ${size} characters as IAM counts them (white space excluded): a role's inline policies may total at most ${DEFAULT_ROLE_INLINE_POLICIES_SIZE_LIMIT}. Move statements into a customer managed policy and list it in policyArns.`,
    });
  }
  return problems;
}

/**
 * Problems with the presets a request selects: unknown or repeated presets, and
 * parameters that are missing, not taken, or do not match the preset's pattern. Fields are
 * `<field>[i].name` and `<field>[i].parameters.<parameter>`.
 *
 * @public
 */
export function presetSelectionProblems(
  selections: readonly PresetSelection[],
  presets: readonly PolicyPreset[],
  field = 'presets',
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  selections.forEach((selection, i) => {
    const at = `${field}[${i}]`;
    const name = selection?.name;
    const preset = presets.find(p => p.name === name);
    if (!preset) {
      problems.push({
        field: `${at}.name`,
        message: `${quote(String(name))} is not a preset of this platform${
          presets.length > 0
            ? ` (presets: ${presets.map(p => p.name).join(', ')})`
            : ' (none is configured in irsa.presets)'
        }; ask your platform team to add it.`,
      });
      return;
    }
    if (seen.has(preset.name)) {
      problems.push({
        field: `${at}.name`,
        message: `The preset ${quote(
          preset.name,
        )} is selected twice: select each preset once.`,
      });
    }
    seen.add(preset.name);
    const given = selection.parameters ?? {};
    if (typeof given !== 'object' || Array.isArray(given)) {
      problems.push({
        field: `${at}.parameters`,
        message: `The parameters of preset ${quote(
          preset.name,
        )} must be an object of names and values (for example { "bucket": "payments-reports" }).`,
      });
      return;
    }
    for (const key of Object.keys(given)) {
      if (!preset.parameters.some(p => p.name === key)) {
        problems.push({
          field: `${at}.parameters.${key}`,
          message: `The preset ${quote(preset.name)} takes no parameter ${quote(
            key,
          )}${
            preset.parameters.length > 0
              ? `; it takes ${preset.parameters
                  .map(p => quote(p.name))
                  .join(', ')}`
              : '; it takes no parameters'
          }.`,
        });
      }
    }
    for (const parameter of preset.parameters) {
      const pfield = `${at}.parameters.${parameter.name}`;
      const value = Object.prototype.hasOwnProperty.call(given, parameter.name)
        ? given[parameter.name]
        : undefined;
      if (value === undefined || value === '') {
        problems.push({
          field: pfield,
          message: `The preset ${quote(preset.name)} needs ${quote(
            parameter.name,
          )} (${parameter.title}${
            parameter.description ? `: ${parameter.description}` : ''
          }), matching ${parameter.pattern}.`,
        });
        continue;
      }
      problems.push(...parameterValueProblems(parameter, value, pfield));
    }
  });
  return problems;
}

function parameterValueProblems(
  parameter: PolicyPresetParameter,
  value: unknown,
  field: string,
): Problem[] {
  if (typeof value !== 'string') {
    return [
      {
        field,
        message: `${parameter.title} must be a string, not ${quote(
          JSON.stringify(value) ?? String(value),
        )}.`,
      },
    ];
  }
  if (
    value.length > PARAMETER_VALUE_MAX_LENGTH ||
    !SAFE_VALUE.test(value) ||
    UNSAFE_VALUE_CHARS.test(value)
  ) {
    return [
      {
        field,
        message: `${parameter.title} ${quote(
          value,
        )} may hold only 1–${PARAMETER_VALUE_MAX_LENGTH} printable characters without spaces, and never "*", "?", "$", "{" or "}": a value names one resource, it cannot widen the policy or insert a policy variable.`,
      },
    ];
  }
  const re = compile(parameter.pattern);
  if (!re || !re.test(value)) {
    return [
      {
        field,
        message: `${parameter.title} ${quote(value)} does not match ${
          parameter.pattern
        }${parameter.description ? ` (${parameter.description})` : ''}.`,
      },
    ];
  }
  return [];
}

/**
 * The managed policies and rendered inline policies of the selected presets, or every
 * problem at once: selection problems (see {@link presetSelectionProblems}), and for each
 * rendered inline policy IAM's grammar, its size and the role's aggregate inline quota, and
 * no `Allow` of Action `"*"` on Resource `"*"` unless `allowAllActionsOnAllResources`.
 * Values are substituted only after they matched their parameter's pattern, and only into
 * string values of the preset's own document, so a preset's resources are the ones its
 * template names.
 *
 * @public
 */
export function resolvePresets(
  selections: readonly PresetSelection[],
  presets: readonly PolicyPreset[],
  context: PresetContext,
  options: {
    allowAllActionsOnAllResources?: boolean;
    /** The role's aggregate inline policy quota; 10,240 by default. */
    sizeLimit?: number;
    field?: string;
  } = {},
): ParseResult<ResolvedPresets> {
  const field = options.field ?? 'presets';
  const problems = presetSelectionProblems(selections, presets, field);
  const policyArns: string[] = [];
  const inlinePolicies: PresetInlinePolicy[] = [];
  let total = 0;
  selections.forEach((selection, i) => {
    // Render what was selected well, so one bad parameter hides no other problem.
    const prefix = `${field}[${i}].`;
    if (problems.some(p => p.field.startsWith(prefix))) return;
    const preset = presets.find(p => p.name === selection.name)!;
    for (const arn of preset.policyArns) {
      if (!policyArns.includes(arn)) policyArns.push(arn);
    }
    if (preset.inlinePolicy === undefined) return;
    const at = `${field}[${i}]`;
    const builtins: Record<string, string> = {
      partition: context.partition,
      accountId: context.accountId,
      region: context.region,
      namespace: context.namespace,
      ...(context.serviceAccount !== undefined
        ? { serviceAccount: context.serviceAccount }
        : {}),
    };
    const used = placeholdersOf(preset.inlinePolicy);
    if (used.has('serviceAccount') && context.serviceAccount === undefined) {
      problems.push({
        field: `${at}.name`,
        message: `The preset ${quote(
          preset.name,
        )} names the ServiceAccount in its policy (\${serviceAccount}), so it needs serviceAccount, not only serviceAccountPattern.`,
      });
      return;
    }
    const document = substitute(preset.inlinePolicy, {
      ...(selection.parameters ?? {}),
      ...builtins,
    });
    const name = presetInlinePolicyName(preset.name);
    const grammar = inlineDocumentProblems(
      name,
      document,
      `${at}.inlinePolicy`,
    );
    problems.push(...grammar);
    if (grammar.length === 0 && !options.allowAllActionsOnAllResources) {
      problems.push(
        ...allowAllOnAllProblems(document, `${at}.inlinePolicy`, preset.name),
      );
    }
    total += iamPolicySize(JSON.stringify(document));
    inlinePolicies.push({
      name,
      preset: preset.name,
      document: document as PolicyDocument,
    });
  });
  const limit = options.sizeLimit ?? DEFAULT_ROLE_INLINE_POLICIES_SIZE_LIMIT;
  if (total > limit) {
    problems.push({
      field,
      message: `The presets' inline policies total ${total} characters as IAM counts them (white space excluded): a role's inline policies may total at most ${limit}. Select fewer presets with inline policies, or ask your platform team for a managed policy instead.`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { policyArns, inlinePolicies } };
}
