import { useRef } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  IRSA_SERVICE_ACCOUNTS_ANNOTATION,
  requestAccessFormData,
} from '@backstage-irsa/plugin-irsa-common';
import IconButton from '@material-ui/core/IconButton';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { irsaApiRef } from '../../api';
import { irsaTranslationRef } from '../../translation';
import { StatusReportView } from './StatusReportView';
import { useRequestAccessLink } from './useRequestAccessLink';

/**
 * The IRSA card of an entity page: for each ServiceAccount that carries the service's AWS
 * access, the bound role, its trust status and every check with its fix, exactly as the
 * backend's StatusReport states them. Shown for every service: the backend finds the
 * ServiceAccounts the template made for it by their label, without any annotation, and a
 * service without any gets an explanation and a way to request access.
 * @public
 */
export function EntityIrsaCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(irsaTranslationRef);
  const api = useApi(irsaApiRef);
  const entityRef = stringifyEntityRef(entity);
  const requestAccessLink = useRequestAccessLink(entity);
  // Set by Refresh, read once by the next load.
  const refreshing = useRef(false);
  const {
    value: report,
    loading,
    error,
    retry,
  } = useAsyncRetry(async () => {
    // The first load may come from the backend's short-lived cache; Refresh reads afresh.
    const fresh = refreshing.current;
    refreshing.current = false;
    return api.getStatus(entityRef, fresh ? { fresh } : undefined);
  }, [api, entityRef]);

  let body: JSX.Element | null = null;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} title={t('card.loadError')} />;
  } else if (report) {
    body = (
      <StatusReportView
        report={report}
        requestAccessLink={requestAccessLink}
        annotationLine={annotationLine(entity, entityRef)}
      />
    );
  }
  return (
    <InfoCard
      title={t('card.title')}
      subheader={
        report && !loading
          ? t('card.generatedAt', {
              time: new Date(report.generatedAt).toLocaleString(),
            })
          : undefined
      }
      // With bindings, the template is still the way to add one or repair drift; the
      // empty state has its own button.
      deepLink={
        requestAccessLink && report && report.bindings.length > 0
          ? { title: t('card.requestAccess'), link: requestAccessLink }
          : undefined
      }
      action={
        <IconButton
          aria-label={t('card.refresh')}
          title={t('card.refresh')}
          onClick={() => {
            refreshing.current = true;
            retry();
          }}
          disabled={loading}
        >
          <RefreshIcon />
        </IconButton>
      }
    >
      {body}
    </InfoCard>
  );
}

/**
 * The exact annotation line that would name this entity's ServiceAccount: its namespace and
 * the name the template would give it, so a developer can copy it as is.
 */
function annotationLine(
  entity: Parameters<typeof requestAccessFormData>[0],
  entityRef: string,
): string {
  const { namespace = 'NAMESPACE', serviceAccount = 'SERVICE-ACCOUNT' } =
    requestAccessFormData(entity, entityRef);
  return `${IRSA_SERVICE_ACCOUNTS_ANNOTATION}: ${namespace}/${serviceAccount}`;
}
