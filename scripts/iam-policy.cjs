// Body of scripts/iam-policy (run it through that wrapper: it puts Node 22 and the
// TypeScript hook in place). Reads irsa.guardrails (and whether irsa.presets has inline
// policies) the way the backend does — Backstage's own
// config loader, so $include, $env and ${VAR} work — and prints buildManagerPolicy's output.
'use strict';

const path = require('node:path');
const { ConfigSources, FileConfigSource } = require('@backstage/config-loader');
const { buildManagerPolicy } = require('@backstage-irsa/plugin-irsa-common');

function usage(message) {
  process.stderr.write(
    `${message ? `iam-policy: ${message}\n` : ''}` +
      'usage: scripts/iam-policy [--partition aws|aws-cn|aws-us-gov] [app-config.yaml ...]\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const files = [];
  let partition;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') usage();
    else if (arg === '--partition')
      partition = argv[++i] ?? usage('--partition needs a value');
    else if (arg.startsWith('--partition='))
      partition = arg.slice('--partition='.length);
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else files.push(path.resolve(arg));
  }
  if (files.length === 0)
    files.push(path.resolve(__dirname, '..', 'app-config.yaml'));
  return { files, partition };
}

async function main() {
  const { files, partition } = parseArgs(process.argv.slice(2));
  const source = ConfigSources.merge(
    files.map(file => FileConfigSource.create({ path: file, watch: false })),
  );
  const config = await ConfigSources.toConfig(source);
  try {
    // Same defaults as the backend's readIrsaConfig: path "/", no prefix, no policies.
    const g = config.getOptionalConfig('irsa.guardrails');
    const result = buildManagerPolicy({
      partition,
      rolePath: g?.getOptionalString('rolePath') ?? '/',
      roleNamePrefix: g?.getOptionalString('roleNamePrefix') ?? '',
      permissionsBoundaryArn: g?.getOptionalString('permissionsBoundaryArn'),
      allowedPolicyArns: g?.getOptionalStringArray('allowedPolicyArns') ?? [],
      // Inline policies are read and written only when a preset has one.
      inlinePolicies: (
        config.getOptionalConfigArray('irsa.presets') ?? []
      ).some(p => p.has('inlinePolicy')),
    });
    if (!result.ok) {
      for (const p of result.problems) {
        process.stderr.write(
          `iam-policy: irsa.guardrails ${p.field}: ${p.message}\n`,
        );
      }
      process.exitCode = 2;
      return;
    }
    process.stdout.write(`${JSON.stringify(result.value, null, 2)}\n`);
  } finally {
    config.close();
  }
}

main().catch(e => {
  process.stderr.write(
    `iam-policy: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exitCode = 1;
});
