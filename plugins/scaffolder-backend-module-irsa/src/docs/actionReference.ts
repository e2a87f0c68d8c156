import type { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * The part of a JSON schema the reference reads. `createTemplateAction` has already turned
 * the action's zod schema into this with zod-to-json-schema, exactly as the scaffolder
 * serves it to the template editor, so the reference shows what the scaffolder enforces.
 */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode | JsonSchemaNode[];
  additionalProperties?: boolean | JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  allOf?: JsonSchemaNode[];
  $ref?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
}

/** What the reference shows of one action. */
export type DocumentedAction = Pick<
  TemplateAction<any, any, any>,
  'id' | 'description' | 'examples' | 'supportsDryRun' | 'schema'
>;

interface Row {
  name: string;
  type: string;
  required: boolean;
  default?: string;
  description: string;
}

/** Follows a local `$ref` (`#/properties/x/...`), which zod-to-json-schema emits for reused schemas. */
function resolve(node: JsonSchemaNode, root: JsonSchemaNode): JsonSchemaNode {
  let current = node;
  for (let hops = 0; current.$ref && hops < 32; hops++) {
    const ref: string = current.$ref;
    if (!ref.startsWith('#')) return current;
    let target: unknown = root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(part)
        .replace(/~1/g, '/')
        .replace(/~0/g, '~');
      target = (target as Record<string, unknown> | undefined)?.[key];
    }
    if (!target || typeof target !== 'object') return current;
    const { $ref: _ref, ...rest } = current;
    current = { ...(target as JsonSchemaNode), ...rest };
  }
  return current;
}

/** A short, TypeScript-like name of the value's type, e.g. `string[]`, `Record<string, string>`. */
function typeName(raw: JsonSchemaNode, root: JsonSchemaNode): string {
  const node = resolve(raw, root);
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) {
    return [...new Set(alternatives.map(a => typeName(a, root)))].join(' | ');
  }
  if (node.allOf && node.allOf.length === 1)
    return typeName(node.allOf[0], root);
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map(v => JSON.stringify(v)).join(' | ');
  const type = Array.isArray(node.type) ? node.type.join(' | ') : node.type;
  if (type === 'array') {
    const items = Array.isArray(node.items) ? undefined : node.items;
    const inner = items ? typeName(items, root) : 'unknown';
    return inner.includes(' ') ? `Array<${inner}>` : `${inner}[]`;
  }
  if (type === 'object') {
    if (node.properties && Object.keys(node.properties).length > 0) {
      return 'object';
    }
    const values = node.additionalProperties;
    if (values && typeof values === 'object') {
      return `Record<string, ${typeName(values, root)}>`;
    }
    return 'object';
  }
  return type ?? 'any';
}

/** The limits the schema puts on a value, in words. */
function constraints(raw: JsonSchemaNode, root: JsonSchemaNode): string[] {
  const node = resolve(raw, root);
  const out: string[] = [];
  if (node.minLength === 1 && node.maxLength === undefined) {
    out.push('non-empty');
  } else if (node.minLength !== undefined) {
    out.push(`at least ${node.minLength} characters`);
  }
  if (node.maxLength !== undefined) {
    out.push(`at most ${node.maxLength} characters`);
  }
  if (node.pattern !== undefined) out.push(`matches \`${node.pattern}\``);
  if (typeof node.exclusiveMinimum === 'number') {
    out.push(`more than ${node.exclusiveMinimum}`);
  } else if (node.minimum !== undefined) {
    out.push(`at least ${node.minimum}`);
  }
  if (typeof node.exclusiveMaximum === 'number') {
    out.push(`less than ${node.exclusiveMaximum}`);
  } else if (node.maximum !== undefined) {
    out.push(`at most ${node.maximum}`);
  }
  if (node.minItems !== undefined) out.push(`at least ${node.minItems} items`);
  if (node.maxItems !== undefined) out.push(`at most ${node.maxItems} items`);
  return out;
}

/** The object schema whose properties describe the value's fields, if it has any. */
function fieldsOf(
  raw: JsonSchemaNode,
  root: JsonSchemaNode,
): { node: JsonSchemaNode; suffix: string } | undefined {
  const node = resolve(raw, root);
  if (node.properties && Object.keys(node.properties).length > 0) {
    return { node, suffix: '.' };
  }
  if (node.items && !Array.isArray(node.items)) {
    const items = resolve(node.items, root);
    if (items.properties && Object.keys(items.properties).length > 0) {
      return { node: items, suffix: '[].' };
    }
  }
  return undefined;
}

/** One row per property, and rows for the fields of object (and array-of-object) values. */
function rowsOf(
  object: JsonSchemaNode,
  root: JsonSchemaNode,
  prefix = '',
): Row[] {
  const rows: Row[] = [];
  const required = new Set(object.required ?? []);
  for (const [name, raw] of Object.entries(object.properties ?? {})) {
    const node = resolve(raw, root);
    const limits = constraints(node, root);
    const description = [
      node.description ?? '',
      limits.length > 0 ? `(${limits.join('; ')})` : '',
    ]
      .filter(Boolean)
      .join(' ');
    rows.push({
      name: `${prefix}${name}`,
      type: typeName(node, root),
      required: required.has(name),
      default:
        node.default === undefined ? undefined : JSON.stringify(node.default),
      description,
    });
    const fields = fieldsOf(node, root);
    if (fields) {
      rows.push(
        ...rowsOf(fields.node, root, `${prefix}${name}${fields.suffix}`),
      );
    }
  }
  return rows;
}

/** Text for a table cell: one line, with the characters that would end the cell or start emphasis escaped. */
function cellText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/\*/g, '\\*')
    .replace(/</g, '&lt;');
}

/** A code span for a table cell (a `|` inside it still needs its backslash in a table). */
function cellCode(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  const pad = text.includes('`') ? ' ' : '';
  return `${ticks}${pad}${text.replace(/\|/g, '\\|')}${pad}${ticks}`;
}

/** A Markdown table with its columns padded as prettier pads them, so it reads in plain text too. */
export function markdownTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(3, h.length, ...body.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`,
    ...body.map(line),
  ].join('\n');
}

function schemaTable(rows: Row[]): string {
  const withDefault = rows.some(r => r.default !== undefined);
  const header = ['Name', 'Type', 'Required'];
  if (withDefault) header.push('Default');
  header.push('Description');
  return markdownTable(
    header,
    rows.map(r => {
      const cells = [
        cellCode(r.name),
        cellCode(r.type),
        r.required ? 'yes' : 'no',
      ];
      if (withDefault)
        cells.push(r.default === undefined ? '' : cellCode(r.default));
      cells.push(cellText(r.description));
      return cells;
    }),
  );
}

/** GitHub's anchor for a heading made of `text` (inline code marks dropped). */
export function headingAnchor(text: string): string {
  return text
    .toLocaleLowerCase('en-US')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** The description's first sentence ("e.g." does not end one). */
function firstSentence(text: string): string {
  return text.trim().split(/(?<=\.)\s+(?=[A-Z])/)[0];
}

function section(action: DocumentedAction): string {
  const input = action.schema?.input as JsonSchemaNode | undefined;
  const output = action.schema?.output as JsonSchemaNode | undefined;
  const parts: string[] = [`### \`${action.id}\``];
  if (action.description) parts.push(action.description.trim());
  parts.push(
    `Dry run: ${action.supportsDryRun ? 'supported' : 'not supported'}.`,
  );
  parts.push('#### Inputs');
  const inputRows = input ? rowsOf(input, input) : [];
  parts.push(inputRows.length > 0 ? schemaTable(inputRows) : 'None.');
  parts.push('#### Outputs');
  const outputRows = output ? rowsOf(output, output) : [];
  parts.push(outputRows.length > 0 ? schemaTable(outputRows) : 'None.');
  const examples = action.examples ?? [];
  if (examples.length > 0) {
    parts.push('#### Examples');
    for (const example of examples) {
      parts.push(`${example.description.trim()}:`);
      parts.push(['```yaml', example.example.trimEnd(), '```'].join('\n'));
    }
  }
  return parts.join('\n\n');
}

/**
 * The generated reference of `actions`, in the order given: an index, then per action its
 * id, description, dry-run support, inputs and outputs (from the schemas) and examples.
 */
export function renderActionReference(
  actions: readonly DocumentedAction[],
): string {
  const index = markdownTable(
    ['Action', 'Dry run', 'Summary'],
    actions.map(a => [
      `[\`${a.id}\`](#${headingAnchor(a.id)})`,
      a.supportsDryRun ? 'yes' : 'no',
      cellText(firstSentence(a.description ?? '')),
    ]),
  );
  return [index, ...actions.map(section)].join('\n\n');
}
