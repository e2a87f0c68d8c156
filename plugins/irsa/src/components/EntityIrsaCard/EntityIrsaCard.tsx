import { useRef } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  IRSA_SERVICE_ACCOUNTS_ANNOTATION,
  isIrsaAvailable,
} from '@backstage-irsa/plugin-irsa-common';
import IconButton from '@material-ui/core/IconButton';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { irsaApiRef } from '../../api';
import { irsaTranslationRef } from '../../translation';
import { StatusReportView } from './StatusReportView';

/**
 * The IRSA card of an entity page: for each ServiceAccount that carries the service's AWS
 * access, the bound role, its trust status and every check with its fix, exactly as the
 * backend's StatusReport states them.
 * @public
 */
export function EntityIrsaCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(irsaTranslationRef);
  const api = useApi(irsaApiRef);
  const available = isIrsaAvailable(entity);
  const entityRef = stringifyEntityRef(entity);
  // Set by Refresh, read once by the next load.
  const refreshing = useRef(false);
  // Hooks run unconditionally; an entity without workloads just never asks the backend.
  const {
    value: report,
    loading,
    error,
    retry,
  } = useAsyncRetry(async () => {
    if (!available) return undefined;
    // The first load may come from the backend's short-lived cache; Refresh reads afresh.
    const fresh = refreshing.current;
    refreshing.current = false;
    return api.getStatus(entityRef, fresh ? { fresh } : undefined);
  }, [api, entityRef, available]);

  if (!available) {
    return (
      <MissingAnnotationEmptyState
        annotation={IRSA_SERVICE_ACCOUNTS_ANNOTATION}
      />
    );
  }

  let body: JSX.Element | null = null;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} title={t('card.loadError')} />;
  } else if (report) {
    body = <StatusReportView report={report} />;
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
