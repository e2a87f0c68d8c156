import type { OverviewItem } from './statusReport';

/** The overview export's columns, in order; the header row names them. */
export const OVERVIEW_CSV_COLUMNS = [
  'cluster',
  'namespace',
  'serviceAccount',
  'entityRef',
  'roleArn',
  'overall',
  'problemCode',
  'problemStatus',
  'problemTitle',
  'problemDetail',
] as const;

// A spreadsheet runs a cell that starts with one of these as a formula (and tab or carriage
// return can hide one): values come from Kubernetes annotations and IAM, which others write.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): a value that a spreadsheet would read as a formula gets a leading
 * `'`, and a value with a comma, quote or line break is quoted.
 *
 * @public
 */
export function csvCell(value: string | undefined): string {
  let text = value ?? '';
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The platform overview as CSV: a header row, then one row per ServiceAccount with its
 * first failing check; CRLF line ends.
 *
 * @public
 */
export function overviewCsv(items: readonly OverviewItem[]): string {
  const rows = items.map(i => [
    i.cluster,
    i.namespace,
    i.serviceAccount,
    i.entityRef,
    i.roleArn,
    i.overall,
    i.problem?.code,
    i.problem?.status,
    i.problem?.title,
    i.problem?.detail,
  ]);
  return [[...OVERVIEW_CSV_COLUMNS], ...rows]
    .map(cells => `${cells.map(csvCell).join(',')}\r\n`)
    .join('');
}
