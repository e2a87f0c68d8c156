import { Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  OverviewItem,
  OverviewPage,
  OverviewSortKey,
  OverviewSortOrder,
} from '@backstage-irsa/plugin-irsa-common';
import Typography from '@material-ui/core/Typography';
import { useMemo, useRef } from 'react';
import { irsaApiRef } from '../../api';
import { irsaTranslationRef } from '../../translation';
import { OverallStatusChip } from '../EntityIrsaCard/OverallStatusChip';
import type { OverviewFilterValues } from './OverviewFilterBar';
import { latestOnly, type RemoteData, sortOf } from './remoteTable';

/** The API's sort key behind each sortable column. */
const SORT_KEY_OF: Record<string, OverviewSortKey> = {
  cluster: 'cluster',
  serviceAccount: 'namespace',
  entityRef: 'entity',
  overall: 'status',
};

export interface OverviewSort {
  key: OverviewSortKey;
  order: OverviewSortOrder;
}

/**
 * Every managed ServiceAccount, paged, sorted and filtered by the backend. Remounted (by
 * its key) when the filters change, so it starts again from the first page; the sort
 * survives through `sort`.
 */
export function BindingsTable(props: {
  filters: OverviewFilterValues;
  sort?: OverviewSort;
  onSortChange(sort: OverviewSort | undefined): void;
  /** Whether this load reads every peer anew (the page's Refresh); asked once per load. */
  takeFresh(): boolean;
  onLoaded(page: OverviewPage): void;
  onError(error: Error): void;
}) {
  const { t } = useTranslationRef(irsaTranslationRef);
  const api = useApi(irsaApiRef);
  const { filters, sort } = props;

  const columns = useMemo(() => {
    const defaultSort = (field: string) =>
      sort && SORT_KEY_OF[field] === sort.key ? sort.order : undefined;
    const list: TableColumn<OverviewItem>[] = [
      { title: t('overview.columns.cluster'), field: 'cluster' },
      {
        title: t('overview.columns.serviceAccount'),
        field: 'serviceAccount',
        render: row => `${row.namespace}/${row.serviceAccount}`,
      },
      {
        title: t('overview.columns.owner'),
        field: 'entityRef',
        render: row =>
          row.entityRef ? (
            <EntityRefLink entityRef={row.entityRef} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              {t('overview.noOwner')}
            </Typography>
          ),
      },
      {
        title: t('overview.columns.role'),
        field: 'roleArn',
        sorting: false,
        render: row => (
          <Typography variant="body2" style={{ wordBreak: 'break-all' }}>
            {row.roleArn ?? t('overview.noRole')}
          </Typography>
        ),
      },
      {
        title: t('overview.columns.status'),
        field: 'overall',
        render: row => <OverallStatusChip status={row.overall} />,
      },
      {
        title: t('overview.columns.problem'),
        field: 'problem',
        sorting: false,
        render: row =>
          row.problem ? (
            <>
              <Typography variant="body2">
                {row.problem.code}: {row.problem.title}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {row.problem.detail}
              </Typography>
            </>
          ) : (
            <Typography variant="body2" color="textSecondary">
              {t('overview.noProblem')}
            </Typography>
          ),
      },
    ];
    return list.map(c =>
      typeof c.field === 'string' && defaultSort(c.field)
        ? { ...c, defaultSort: defaultSort(c.field) }
        : c,
    );
    // The columns are made once per mount: a sort change must not remount the table.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t]);

  const load: RemoteData<OverviewItem> = async query => {
    const { field, order } = sortOf(query);
    const key = field ? SORT_KEY_OF[field] : undefined;
    props.onSortChange(key ? { key, order } : undefined);
    try {
      const page = await api.getOverview({
        page: query.page + 1,
        pageSize: query.pageSize,
        cluster: filters.cluster,
        namespace: filters.namespace,
        entityRef: filters.entityRef,
        status: filters.status ? [filters.status] : undefined,
        ...(key ? { sort: key, order } : {}),
        fresh: props.takeFresh(),
      });
      props.onLoaded(page);
      return { data: page.items, page: page.page - 1, totalCount: page.total };
    } catch (e) {
      props.onError(e as Error);
      return { data: [], page: 0, totalCount: 0 };
    }
  };

  // One guard per mount: it must outlive renders (the callbacks above change each one).
  const loadRef = useRef(load);
  loadRef.current = load;
  const data = useMemo(
    () => latestOnly<OverviewItem>(query => loadRef.current(query)),
    [],
  );

  return (
    <Table<OverviewItem>
      title={t('overview.tabs.bindings')}
      columns={columns}
      data={data}
      options={{
        paging: true,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100, 200],
        search: false,
        sorting: true,
        padding: 'dense',
        emptyRowsWhenPaging: false,
      }}
    />
  );
}
