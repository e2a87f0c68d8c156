import {
  LinkButton,
  Table,
  type TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  CheckResult,
  OrphanRole,
  OrphansPage,
  RoleGoneServiceAccount,
} from '@backstage-irsa/plugin-irsa-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useMemo, useRef, useState } from 'react';
import { irsaApiRef, type IrsaOrphansQuery } from '../../api';
import { irsaTranslationRef } from '../../translation';
import { type FreshTable, latestOnly, type RemoteData } from './remoteTable';
import { useRemoveAccessLink } from './useRemoveAccessLink';

function RemoveLink(props: { href?: string }) {
  const { t } = useTranslationRef(irsaTranslationRef);
  if (!props.href) return null;
  return (
    <LinkButton to={props.href} variant="outlined" size="small" color="primary">
      {t('overview.remove')}
    </LinkButton>
  );
}

/** What could not be read, so an empty list is never taken for "none". */
function Unread(props: { checks: CheckResult[] }) {
  const { t } = useTranslationRef(irsaTranslationRef);
  if (props.checks.length === 0) return null;
  return (
    <Box mb={2}>
      <WarningPanel severity="warning" title={t('overview.incomplete')}>
        {props.checks.map((c, i) => (
          <Typography key={i} variant="body2">
            {c.code}: {c.detail}
          </Typography>
        ))}
      </WarningPanel>
    </Box>
  );
}

/** One kind of orphan, paged by the backend. */
function OrphanTable<T extends object>(props: {
  title: string;
  description: string;
  empty: string;
  columns: TableColumn<T>[];
  load(
    query: IrsaOrphansQuery,
  ): Promise<OrphansPage<T & (OrphanRole | RoleGoneServiceAccount)>>;
  takeFresh(): boolean;
  onError(error: Error): void;
}) {
  const [checks, setChecks] = useState<CheckResult[]>([]);
  const load: RemoteData<T> = async query => {
    try {
      const page = await props.load({
        page: query.page + 1,
        pageSize: query.pageSize,
        fresh: props.takeFresh(),
      });
      setChecks(page.checks);
      return { data: page.items, page: page.page - 1, totalCount: page.total };
    } catch (e) {
      props.onError(e as Error);
      return { data: [], page: 0, totalCount: 0 };
    }
  };
  const loadRef = useRef(load);
  loadRef.current = load;
  const data = useMemo(
    () => latestOnly<T>(query => loadRef.current(query)),
    [],
  );
  return (
    <Box mb={4}>
      <Unread checks={checks} />
      <Table<T>
        title={props.title}
        subtitle={props.description}
        columns={props.columns}
        data={data}
        localization={{ body: { emptyDataSourceMessage: props.empty } }}
        options={{
          paging: true,
          pageSize: 20,
          pageSizeOptions: [20, 50, 100, 200],
          search: false,
          sorting: false,
          padding: 'dense',
          emptyRowsWhenPaging: false,
        }}
      />
    </Box>
  );
}

/**
 * The leftovers: roles of the product whose entity left the catalog, and ServiceAccounts of
 * the product whose role is gone, each with a link to the "Remove AWS access" template
 * filled in with what is known.
 */
export function OrphansTab(props: {
  /** The overview's filters that apply to leftovers. */
  filters: Pick<IrsaOrphansQuery, 'cluster' | 'namespace' | 'entityRef'>;
  takeFresh(table: FreshTable): boolean;
  onError(error: Error): void;
}) {
  const { filters } = props;
  const { t } = useTranslationRef(irsaTranslationRef);
  const api = useApi(irsaApiRef);
  const removeLink = useRemoveAccessLink();

  const roleColumns = useMemo<TableColumn<OrphanRole>[]>(
    () => [
      {
        title: t('overview.columns.role'),
        field: 'roleArn',
        render: row => (
          <Typography variant="body2" style={{ wordBreak: 'break-all' }}>
            {row.roleArn}
          </Typography>
        ),
      },
      { title: t('overview.columns.entityGone'), field: 'entityRef' },
      {
        title: t('overview.columns.madeFor'),
        field: 'serviceAccount',
        // As far as it is known: the cluster, and the ServiceAccount its trust admits.
        render: row =>
          [
            row.cluster,
            row.namespace && row.serviceAccount
              ? `${row.namespace}/${row.serviceAccount}`
              : t('overview.unknownPlace'),
          ]
            .filter(Boolean)
            .join(' · '),
      },
      {
        title: t('overview.columns.created'),
        field: 'createDate',
        render: row => row.createDate?.slice(0, 10) ?? '',
      },
      {
        title: t('overview.columns.actions'),
        field: 'accountId',
        render: row => <RemoveLink href={removeLink(row)} />,
      },
    ],
    [t, removeLink],
  );

  const goneColumns = useMemo<TableColumn<RoleGoneServiceAccount>[]>(
    () => [
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
          row.entityRef ? <EntityRefLink entityRef={row.entityRef} /> : '',
      },
      {
        title: t('overview.columns.role'),
        field: 'roleArn',
        render: row => (
          <Typography variant="body2" style={{ wordBreak: 'break-all' }}>
            {row.roleArn}
          </Typography>
        ),
      },
      {
        title: t('overview.columns.check'),
        field: 'check',
        render: row => `${row.check.code}: ${row.check.title}`,
      },
      {
        title: t('overview.columns.actions'),
        field: 'namespace',
        render: row => <RemoveLink href={removeLink(row)} />,
      },
    ],
    [t, removeLink],
  );

  return (
    <>
      <OrphanTable<OrphanRole>
        title={t('overview.orphanRoles.title')}
        description={t('overview.orphanRoles.description')}
        empty={t('overview.orphanRoles.empty')}
        columns={roleColumns}
        load={q => api.getOrphanRoles({ ...q, ...filters })}
        takeFresh={() => props.takeFresh('orphanRoles')}
        onError={props.onError}
      />
      <OrphanTable<RoleGoneServiceAccount>
        title={t('overview.roleGone.title')}
        description={t('overview.roleGone.description')}
        empty={t('overview.roleGone.empty')}
        columns={goneColumns}
        load={q => api.getRoleGoneServiceAccounts({ ...q, ...filters })}
        takeFresh={() => props.takeFresh('roleGone')}
        onError={props.onError}
      />
    </>
  );
}
