import {
  Content,
  Header,
  Page,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type {
  CheckResult,
  OverviewPage as OverviewPageData,
} from '@backstage-irsa/plugin-irsa-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useCallback, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { irsaApiRef, type IrsaOverviewExport } from '../../api';
import { irsaTranslationRef } from '../../translation';
import { BindingsTable, type OverviewSort } from './BindingsTable';
import { OrphansTab } from './OrphansTab';
import {
  OverviewFilterBar,
  type OverviewFilterValues,
} from './OverviewFilterBar';
import { FRESH_TABLES, type FreshTable, isForbidden } from './remoteTable';

/** Hands a file to the browser as a download. */
function download(file: IrsaOverviewExport) {
  const url = URL.createObjectURL(file.content);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Late enough for the browser to have started reading it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The platform overview (`/irsa`): every ServiceAccount backstage-irsa manages, on every
 * cluster, with owner, role, overall status and first failing check, filtered, sorted and
 * paged by the backend, exportable as CSV or JSON; and the orphans, each with a link to the
 * "Remove AWS access" template. Readers without `irsa.overview.read` see why they may not.
 * @public
 */
export function OverviewPage() {
  const { t } = useTranslationRef(irsaTranslationRef);
  const api = useApi(irsaApiRef);
  const alertApi = useApi(alertApiRef);
  const [tab, setTab] = useState<'bindings' | 'orphans'>('bindings');
  const [filters, setFilters] = useState<OverviewFilterValues>({});
  const [refreshes, setRefreshes] = useState(0);
  const [forbidden, setForbidden] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [checks, setChecks] = useState<CheckResult[]>([]);
  const sort = useRef<OverviewSort | undefined>(undefined);
  // Refresh owes each table one load that reads every peer anew (a table of the other tab
  // takes it when it is shown); the cache serves the loads after.
  const owedFresh = useRef(new Set<FreshTable>());
  const takeFresh = useCallback(
    (table: FreshTable) => owedFresh.current.delete(table),
    [],
  );
  const clusters = useAsync(
    async () => (await api.getClusters()).map(c => c.name),
    [api],
  );

  const onError = useCallback((e: Error) => {
    if (isForbidden(e)) setForbidden(true);
    else setError(e);
  }, []);
  const onLoaded = useCallback((page: OverviewPageData) => {
    setError(undefined);
    setChecks(page.checks);
  }, []);

  const exportAs = async (format: 'csv' | 'json') => {
    try {
      download(
        await api.exportOverview(format, {
          cluster: filters.cluster,
          namespace: filters.namespace,
          entityRef: filters.entityRef,
          status: filters.status ? [filters.status] : undefined,
          ...(sort.current
            ? { sort: sort.current.key, order: sort.current.order }
            : {}),
        }),
      );
    } catch (e) {
      if (isForbidden(e)) setForbidden(true);
      else {
        alertApi.post({
          message: `${t('overview.exportFailed')}: ${(e as Error).message}`,
          severity: 'error',
        });
      }
    }
  };

  const header = (
    <Header title={t('overview.title')} subtitle={t('overview.subtitle')} />
  );
  if (forbidden) {
    return (
      <Page themeId="tool">
        {header}
        <Content>
          <WarningPanel
            severity="info"
            title={t('overview.notAllowed.title')}
            defaultExpanded
          >
            <Typography variant="body2">
              {t('overview.notAllowed.description')}
            </Typography>
          </WarningPanel>
        </Content>
      </Page>
    );
  }

  return (
    <Page themeId="tool">
      {header}
      <Content>
        <Box display="flex" alignItems="center" mb={2}>
          <Tabs
            value={tab}
            onChange={(_e, value) => setTab(value)}
            indicatorColor="primary"
          >
            <Tab value="bindings" label={t('overview.tabs.bindings')} />
            <Tab value="orphans" label={t('overview.tabs.orphans')} />
          </Tabs>
          <Box flexGrow={1} />
          <Button
            onClick={() => {
              owedFresh.current = new Set(FRESH_TABLES);
              setRefreshes(n => n + 1);
            }}
          >
            {t('overview.refresh')}
          </Button>
          <Button onClick={() => exportAs('csv')}>
            {t('overview.exportCsv')}
          </Button>
          <Button onClick={() => exportAs('json')}>
            {t('overview.exportJson')}
          </Button>
        </Box>
        {error && (
          <Box mb={2}>
            <ResponseErrorPanel error={error} title={t('overview.loadError')} />
          </Box>
        )}
        {tab === 'bindings' ? (
          <>
            <Box mb={2}>
              <OverviewFilterBar
                clusters={clusters.value ?? []}
                value={filters}
                onChange={setFilters}
              />
            </Box>
            {checks.length > 0 && (
              <Box mb={2}>
                <WarningPanel
                  severity="warning"
                  title={t('overview.incomplete')}
                >
                  {checks.map((c, i) => (
                    <Typography key={i} variant="body2">
                      {c.code}: {c.detail}
                    </Typography>
                  ))}
                </WarningPanel>
              </Box>
            )}
            <BindingsTable
              // A new query starts again from the first page.
              key={`${JSON.stringify(filters)}#${refreshes}`}
              filters={filters}
              sort={sort.current}
              onSortChange={s => {
                sort.current = s;
              }}
              takeFresh={() => takeFresh('bindings')}
              onLoaded={onLoaded}
              onError={onError}
            />
          </>
        ) : (
          <>
            <Box mb={2}>
              <OverviewFilterBar
                clusters={clusters.value ?? []}
                value={filters}
                onChange={setFilters}
                hideStatus
              />
            </Box>
            <OrphansTab
              // A new query starts again from the first page.
              key={`${JSON.stringify(filters)}#${refreshes}`}
              filters={{
                cluster: filters.cluster,
                namespace: filters.namespace,
                entityRef: filters.entityRef,
              }}
              takeFresh={takeFresh}
              onError={onError}
            />
          </>
        )}
      </Content>
    </Page>
  );
}
