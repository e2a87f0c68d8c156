import {
  Content,
  Header,
  MarkdownContent,
  Page,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { irsaTranslationRef } from '../../translation';
import { DOCS_BASE_URL_CONFIG_KEY } from '../EntityIrsaCard/useDocsUrl';
import { guideLinkHref } from './guideLinks';
import { troubleshootingGuide } from './troubleshootingGuide.generated';

/**
 * The troubleshooting guide inside the app: one section per check code, where the card's
 * "Troubleshooting" links land (`/irsa/troubleshooting#f3`) when `irsa.docsBaseUrl` does
 * not point at a published copy.
 * @public
 */
export function TroubleshootingPage() {
  const { t } = useTranslationRef(irsaTranslationRef);
  const base = useApi(configApiRef).getOptionalString(DOCS_BASE_URL_CONFIG_KEY);
  const { hash } = useLocation();
  // The guide renders after navigation, so the browser's own jump to the anchor has
  // already happened (to nothing); do it once the section exists.
  useEffect(() => {
    const id = decodeURIComponent(hash.replace(/^#/, ''));
    if (id) document.getElementById(id)?.scrollIntoView();
  }, [hash]);
  return (
    <Page themeId="tool">
      <Header
        title={t('troubleshooting.title')}
        subtitle={t('troubleshooting.subtitle')}
      />
      <Content>
        <MarkdownContent
          content={troubleshootingGuide}
          transformLinkUri={href => guideLinkHref(href, base) ?? ''}
        />
      </Content>
    </Page>
  );
}
