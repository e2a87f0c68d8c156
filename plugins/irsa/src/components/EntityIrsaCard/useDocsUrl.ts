import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useCallback } from 'react';
import { absoluteDocsUrl } from '../../absoluteDocsUrl';
import { troubleshootingRouteRef } from '../../routes';
import { useOptionalRouteRef } from '../../useOptionalRouteRef';

/**
 * App config key naming where this repository's docs are published, e.g.
 * `https://github.com/acme/backstage-irsa/blob/main`. Checks link into
 * `docs/troubleshooting.md` relative to it.
 */
export const DOCS_BASE_URL_CONFIG_KEY = 'irsa.docsBaseUrl';

const GUIDE = 'docs/troubleshooting.md';

/**
 * Turns a check's repository-relative `docsUrl` into the link the card shows: the published
 * docs when `irsa.docsBaseUrl` is set, else the guide bundled in the app
 * (`/irsa/troubleshooting#f3`), so a link never lands on a missing page. A legacy app that
 * has not mounted the guide page and sets no base keeps the relative link.
 */
export function useDocsUrl(): (docsUrl: string) => string {
  const config = useApi(configApiRef);
  const base = config.getOptionalString(DOCS_BASE_URL_CONFIG_KEY);
  const guide = useOptionalRouteRef(troubleshootingRouteRef);
  return useCallback(
    docsUrl => {
      if (base?.trim() || !guide || !docsUrl.startsWith(GUIDE)) {
        return absoluteDocsUrl(docsUrl, base);
      }
      return `${guide()}${docsUrl.slice(GUIDE.length)}`;
    },
    [base, guide],
  );
}
