import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { documentedActions } from '../docs/templatesDoc';

// examples/templates/remove-aws-access/template.yaml against the action it runs: every
// input it passes is one the action takes, every required one is given, and the form keeps
// the parameter names the platform overview prefills (entity, cluster, namespace,
// serviceAccount, roleArn).
const FILE = path.resolve(
  __dirname,
  '../../../../examples/templates/remove-aws-access/template.yaml',
);

describe('the "Remove AWS access" template', () => {
  const template = yaml.parse(fs.readFileSync(FILE, 'utf8'));
  const action = documentedActions().find(
    a => a.id === 'aws:irsa:delete-role',
  )!;
  const schema = action.schema!.input as {
    properties: Record<string, unknown>;
    required?: string[];
  };

  it('is remove-aws-access, one step of aws:irsa:delete-role', () => {
    expect(template.metadata.name).toBe('remove-aws-access');
    expect(template.spec.steps.map((s: any) => s.action)).toEqual([
      'aws:irsa:delete-role',
    ]);
  });

  it('passes only inputs the action takes, every required one among them', () => {
    const inputs = Object.keys(template.spec.steps[0].input);
    expect(
      inputs.filter(i => !Object.keys(schema.properties).includes(i)),
    ).toEqual([]);
    expect((schema.required ?? []).filter(r => !inputs.includes(r))).toEqual(
      [],
    );
  });

  it('asks for what the overview prefills, with the IRSA fields', () => {
    const properties = Object.assign(
      {},
      ...template.spec.parameters.map((p: any) => p.properties),
    );
    expect(Object.keys(properties)).toEqual([
      'entity',
      'cluster',
      'namespace',
      'serviceAccount',
      'roleArn',
    ]);
    // Any entity, typed refs too (an orphan's is not in the catalog; retirers are not its
    // owners), and a plain namespace (the picker checks what a request needs).
    expect(properties.entity['ui:field']).toBe('EntityPicker');
    expect(properties.entity['ui:options'].allowArbitraryValues).toBe(true);
    expect(properties.cluster['ui:field']).toBe('IrsaClusterPicker');
    expect(properties.namespace['ui:field']).toBeUndefined();
    const required = template.spec.parameters.flatMap(
      (p: any) => p.required ?? [],
    );
    expect(required).not.toContain('roleArn');
    // Every step output the summary shows exists.
    const shown = [
      ...JSON.stringify(template.spec.output).matchAll(
        /steps\.remove\.output\.(\w+)/g,
      ),
    ].map(m => m[1]);
    const outputs = Object.keys(
      (action.schema!.output as { properties: object }).properties,
    );
    expect(shown.filter(o => !outputs.includes(o))).toEqual([]);
  });
});
