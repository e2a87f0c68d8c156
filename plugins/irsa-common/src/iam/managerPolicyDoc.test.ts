import fs from 'fs';
import path from 'path';
import { buildManagerPolicy } from './managerPolicy';

// docs/iam/backstage-irsa-manager-policy.json is what platform teams attach and what the
// sandbox seeds; it must be exactly `scripts/iam-policy` for the repo's app-config.yaml, so
// neither the generator nor the guardrails can change without the committed file.
const REPO = path.resolve(__dirname, '../../../..');
const POLICY_FILE = path.join(
  REPO,
  'docs/iam/backstage-irsa-manager-policy.json',
);

interface AppConfig {
  irsa?: {
    guardrails?: {
      rolePath?: string;
      roleNamePrefix?: string;
      permissionsBoundaryArn?: string;
      allowedPolicyArns?: string[];
    };
    presets?: Array<{ inlinePolicy?: object }>;
  };
}

describe('docs/iam/backstage-irsa-manager-policy.json', () => {
  it('is the generated policy for the guardrails in app-config.yaml', () => {
    // Jest's YAML transform (backstage-cli) turns the file into its parsed object.
    const appConfig = jest.requireActual<AppConfig>(
      path.join(REPO, 'app-config.yaml'),
    );
    const g = appConfig.irsa?.guardrails ?? {};
    const result = buildManagerPolicy({
      rolePath: g.rolePath ?? '/',
      roleNamePrefix: g.roleNamePrefix ?? '',
      permissionsBoundaryArn: g.permissionsBoundaryArn,
      allowedPolicyArns: g.allowedPolicyArns ?? [],
      inlinePolicies: (appConfig.irsa?.presets ?? []).some(
        p => p.inlinePolicy !== undefined,
      ),
    });
    expect(result.ok).toBe(true);
    const generated = result.ok
      ? `${JSON.stringify(result.value, null, 2)}\n`
      : '';
    const committed = fs.readFileSync(POLICY_FILE, 'utf8');
    if (committed !== generated) {
      throw new Error(
        `${POLICY_FILE} is out of date: run scripts/iam-policy > docs/iam/backstage-irsa-manager-policy.json`,
      );
    }
    // The repo's guardrails really are the ones the docs describe.
    expect(g).toMatchObject({ rolePath: '/irsa/', roleNamePrefix: 'irsa-' });
  });
});
