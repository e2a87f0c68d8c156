/**
 * Makes a check's repository-relative `docsUrl` (e.g. `docs/troubleshooting.md#f3`)
 * absolute against `base`, the place the adopter publishes this repository's docs
 * (`irsa.docsBaseUrl`). Without a base the link stays as the backend sent it; a link that
 * is already absolute is kept, so a backend that one day sends full URLs still works.
 */
export function absoluteDocsUrl(docsUrl: string, base?: string): string {
  const trimmedBase = base?.trim() ?? '';
  if (trimmedBase === '' || /^[a-z][a-z\d+.-]*:/i.test(docsUrl)) {
    return docsUrl;
  }
  return `${trimmedBase.replace(/\/+$/, '')}/${docsUrl.replace(/^\/+/, '')}`;
}
