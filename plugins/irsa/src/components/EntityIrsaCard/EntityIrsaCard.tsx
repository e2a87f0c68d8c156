import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
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
  parseServiceAccountsAnnotation,
} from '@backstage-irsa/plugin-irsa-common';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { irsaApiRef } from '../../api';
import { irsaTranslationRef } from '../../translation';
import { CardBinding, resolveBindings } from './resolveBindings';

/**
 * The IRSA card of an entity page: which ServiceAccounts carry the service's AWS role,
 * on which cluster and AWS account.
 * @public
 */
export function EntityIrsaCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(irsaTranslationRef);
  const api = useApi(irsaApiRef);
  const {
    value: clusters,
    loading,
    error,
  } = useAsyncRetry(() => api.getClusters(), [api]);

  if (!isIrsaAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={IRSA_SERVICE_ACCOUNTS_ANNOTATION}
      />
    );
  }
  const annotation =
    entity.metadata.annotations?.[IRSA_SERVICE_ACCOUNTS_ANNOTATION];

  let body: JSX.Element;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} title={t('card.loadError')} />;
  } else if (!annotation) {
    body = (
      <EmptyState
        missing="info"
        title={t('card.noServiceAccounts.title')}
        description={t('card.noServiceAccounts.description')}
      />
    );
  } else if (!clusters || clusters.length === 0) {
    body = <Typography>{t('card.noClusters')}</Typography>;
  } else {
    const parsed = parseServiceAccountsAnnotation(annotation);
    body = parsed.ok ? (
      <BindingsTable bindings={resolveBindings(parsed.value, clusters)} />
    ) : (
      <WarningPanel severity="error" title={t('card.invalidAnnotation')}>
        {parsed.problems.map(p => (
          <Typography key={p.message}>{p.message}</Typography>
        ))}
      </WarningPanel>
    );
  }
  return (
    <InfoCard title={t('card.title')} noPadding>
      {body}
    </InfoCard>
  );
}

function BindingsTable(props: { bindings: CardBinding[] }) {
  const { t } = useTranslationRef(irsaTranslationRef);
  const columns: TableColumn<CardBinding>[] = [
    {
      title: t('card.columns.serviceAccount'),
      render: b => `${b.namespace}/${b.name}`,
    },
    { title: t('card.columns.cluster'), field: 'clusterName' },
    {
      title: t('card.columns.account'),
      render: b => b.cluster?.accountId ?? t('card.unknownCluster'),
    },
    { title: t('card.columns.region'), render: b => b.cluster?.region ?? '' },
  ];
  return (
    <Table
      columns={columns}
      data={props.bindings}
      options={{
        paging: false,
        search: false,
        toolbar: false,
        padding: 'dense',
      }}
    />
  );
}
