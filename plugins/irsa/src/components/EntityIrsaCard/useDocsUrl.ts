import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useCallback } from 'react';
import { absoluteDocsUrl } from '../../absoluteDocsUrl';

/**
 * App config key naming where this repository's docs are published, e.g.
 * `https://github.com/acme/backstage-irsa/blob/main`. Checks link into
 * `docs/troubleshooting.md` relative to it.
 */
export const DOCS_BASE_URL_CONFIG_KEY = 'irsa.docsBaseUrl';

/** Turns a check's repository-relative `docsUrl` into the link the card shows. */
export function useDocsUrl(): (docsUrl: string) => string {
  const config = useApi(configApiRef);
  const base = config.getOptionalString(DOCS_BASE_URL_CONFIG_KEY);
  return useCallback(docsUrl => absoluteDocsUrl(docsUrl, base), [base]);
}
