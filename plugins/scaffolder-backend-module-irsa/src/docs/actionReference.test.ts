import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  headingAnchor,
  markdownTable,
  renderActionReference,
} from './actionReference';

// The schemas go through createTemplateAction, so the reference is tested on the JSON schema
// the scaffolder itself makes of zod (zod-to-json-schema), not on a hand-written one.
const action = createTemplateAction({
  id: 'test:thing:make',
  description:
    'Makes a thing, e.g. a widget. Second sentence stays out of the index.',
  supportsDryRun: true,
  examples: [
    {
      description: 'Make one',
      example: 'steps:\n  - action: test:thing:make\n',
    },
  ],
  schema: {
    input: {
      name: z => z.string({ description: 'Name of the thing' }).min(1),
      pattern: z =>
        z
          .string({ description: 'Either a|b, or worker-*' })
          .regex(/^[a-z]+$/)
          .optional(),
      waitSeconds: z =>
        z
          .number({ description: 'How long to wait' })
          .int()
          .min(1)
          .max(300)
          .default(60),
      mode: z => z.enum(['fast', 'slow']).optional(),
      tags: z => z.array(z.string()).optional(),
      presets: z =>
        z
          .array(
            z.object({
              name: z.string({ description: 'Preset name' }),
              parameters: z.record(z.string()).optional(),
            }),
            { description: 'Presets to apply' },
          )
          .optional(),
    },
    output: {
      ok: z => z.literal(true),
      arn: z => z.string({ description: 'ARN' }),
    },
  },
  async handler() {},
});

describe('renderActionReference', () => {
  const text = renderActionReference([action]);
  const rows = (from: string) =>
    text
      .slice(text.indexOf(from))
      .split('\n')
      .filter(l => l.startsWith('| `'));

  it('indexes the actions with their first sentence and dry-run support', () => {
    expect(text).toContain(
      '| [`test:thing:make`](#testthingmake) | yes     | Makes a thing, e.g. a widget. |',
    );
    expect(text).toContain('### `test:thing:make`');
    expect(text).toContain('Dry run: supported.');
  });

  it('gives each input its type, whether it is required, its default and its limits', () => {
    const inputs = rows('#### Inputs');
    const row = (name: string) =>
      inputs
        .find(l => l.startsWith(`| \`${name}\` `))!
        .split(/(?<!\\)\|/)
        .map(c => c.trim())
        .slice(1, -1);
    expect(row('name')).toEqual([
      '`name`',
      '`string`',
      'yes',
      '',
      'Name of the thing (non-empty)',
    ]);
    expect(row('pattern')).toEqual([
      '`pattern`',
      '`string`',
      'no',
      '',
      'Either a\\|b, or worker-\\* (matches `^[a-z]+$`)',
    ]);
    expect(row('waitSeconds')).toEqual([
      '`waitSeconds`',
      '`integer`',
      'no',
      '`60`',
      'How long to wait (at least 1; at most 300)',
    ]);
    expect(row('mode')[1]).toBe('`"fast" \\| "slow"`');
    expect(row('tags')[1]).toBe('`string[]`');
    expect(row('presets')[1]).toBe('`object[]`');
    expect(row('presets[].name').slice(1, 3)).toEqual(['`string`', 'yes']);
    expect(row('presets[].parameters').slice(1, 3)).toEqual([
      '`Record<string, string>`',
      'no',
    ]);
  });

  it('lists outputs without a default column when none has a default, and the examples as YAML', () => {
    const outputs = rows('#### Outputs');
    expect(outputs[0]).toMatch(/^\| `ok` +\| `true` +\| yes +\| +\|$/);
    expect(text).toContain('| Name  | Type     | Required | Description |');
    expect(text).toContain(
      'Make one:\n\n```yaml\nsteps:\n  - action: test:thing:make\n```',
    );
  });

  it('follows the $refs zod-to-json-schema writes for a schema used twice', () => {
    const shared = {
      type: 'string',
      description: 'Shared',
    };
    const out = renderActionReference([
      {
        id: 'a:b',
        schema: {
          input: {
            type: 'object',
            properties: {
              first: shared,
              second: { $ref: '#/properties/first' },
            },
            required: ['first', 'second'],
          },
        },
      },
    ]);
    expect(out).toContain('| `second` | `string` | yes      | Shared      |');
    expect(out).toContain('Dry run: not supported.');
    expect(out).toMatch(/#### Outputs\n\nNone\./);
  });
});

describe('markdownTable', () => {
  it('pads every column to its widest cell, at least three wide', () => {
    expect(markdownTable(['a', 'bb'], [['xxxx', 'y']])).toBe(
      ['| a    | bb  |', '| ---- | --- |', '| xxxx | y   |'].join('\n'),
    );
  });
});

describe('headingAnchor', () => {
  it("is GitHub's anchor for an action id heading", () => {
    expect(headingAnchor('aws:irsa:create-role')).toBe('awsirsacreate-role');
  });
});
