import path from 'node:path';

/**
 * `irsa.presets` of the repository's app-config.yaml, as Backstage's config loader reads
 * them: the file writes placeholders as `$${name}` (its escape for `${NAME}`, which would
 * otherwise be an environment variable), and the loader turns that into `${name}`.
 */
export function repositoryPresets(): object[] {
  // Jest's YAML transform (backstage-cli) turns the file into its parsed object.
  const appConfig = jest.requireActual<{ irsa?: { presets?: object[] } }>(
    path.resolve(__dirname, '../../../../app-config.yaml'),
  );
  return JSON.parse(
    JSON.stringify(appConfig.irsa?.presets ?? []).replace(/\$\$\{/g, '${'),
  );
}
