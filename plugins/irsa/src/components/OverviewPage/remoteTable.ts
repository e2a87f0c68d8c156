import type { TableColumn, TableProps } from '@backstage/core-components';

/** The function form of a core-components Table's `data`: pages fetched on demand. */
export type RemoteData<T extends object> = Exclude<TableProps<T>['data'], T[]>;

/** What a remote table's fetch is asked: 0-based page, size and the sorted column. */
export type RemoteQuery<T extends object> = Parameters<RemoteData<T>>[0];

/** The column a remote query sorts by, and its direction; none when unsorted. */
export function sortOf<T extends object>(
  query: RemoteQuery<T>,
): { field?: string; order: 'asc' | 'desc' } {
  const column = query.orderBy as TableColumn<T> | undefined;
  return {
    field: typeof column?.field === 'string' ? column.field : undefined,
    order: query.orderDirection === 'desc' ? 'desc' : 'asc',
  };
}

/** Whether an error is the backend's 403 (the reader lacks irsa.overview.read). */
export function isForbidden(error: unknown): boolean {
  return (error as { statusCode?: number })?.statusCode === 403;
}

/** The tables a Refresh reloads from the peers, each once. */
export const FRESH_TABLES = ['bindings', 'orphanRoles', 'roleGone'] as const;
export type FreshTable = (typeof FRESH_TABLES)[number];

/**
 * `data` where an answer that arrives after a newer query started is replaced by the newer
 * one's: material-table shows whichever answer lands last, so two quick sort clicks would
 * otherwise leave the first order on screen when its answer is the slower.
 */
export function latestOnly<T extends object>(
  data: RemoteData<T>,
): RemoteData<T> {
  let latest: ReturnType<RemoteData<T>> | undefined;
  return query => {
    const answer = data(query);
    latest = answer;
    return answer.then(result => (latest === answer ? result : latest!));
  };
}
