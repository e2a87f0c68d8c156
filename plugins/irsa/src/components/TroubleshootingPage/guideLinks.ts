import { absoluteDocsUrl } from '../../absoluteDocsUrl';

/**
 * Where a link inside the bundled guide points in the app. The guide is written for the
 * repository (`docs/troubleshooting.md`): its own anchors (`#f3`) stay on the page; links
 * to other files (`configuration.md`, `../plugins/…test.ts`) resolve against
 * `irsa.docsBaseUrl` when the adopter publishes the docs, and are left as plain text
 * otherwise (`undefined`), since the app has no page for them.
 */
export function guideLinkHref(href: string, base?: string): string | undefined {
  if (href.startsWith('#') || /^[a-z][a-z\d+.-]*:/i.test(href)) return href;
  if (!base?.trim()) return undefined;
  // Relative to docs/, where the guide lives in the repository.
  const fromRoot = href.startsWith('../') ? href.slice(3) : `docs/${href}`;
  return absoluteDocsUrl(fromRoot, base);
}
