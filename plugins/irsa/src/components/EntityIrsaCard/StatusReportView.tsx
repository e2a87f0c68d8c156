import { EmptyState, LinkButton } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { StatusReport } from '@backstage-irsa/plugin-irsa-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { irsaTranslationRef } from '../../translation';
import { BindingStatus } from './BindingStatus';
import { CheckList } from './CheckList';
import { OverallStatusChip } from './OverallStatusChip';

/** @public */
export type PluginIrsaStatusReportViewClassKey =
  | 'summary'
  | 'entityChecks'
  | 'heading';

const useStyles = makeStyles(
  theme => ({
    summary: {
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
    },
    entityChecks: { marginTop: theme.spacing(2) },
    heading: { fontWeight: theme.typography.fontWeightBold as number },
  }),
  { name: 'PluginIrsaStatusReportView' },
);

/**
 * A StatusReport as the backend sent it: the entity's overall status, the checks about the
 * entity itself (e.g. a malformed annotation) above the bindings, then each binding.
 */
export function StatusReportView(props: {
  report: StatusReport;
  /** Opens the "Request AWS access" template for the entity; no button without it. */
  requestAccessLink?: string;
  /** The annotation line that would name the entity's ServiceAccount, for the empty state. */
  annotationLine: string;
}) {
  const { report, requestAccessLink, annotationLine } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(irsaTranslationRef);
  const empty = (
    <EmptyState
      missing="info"
      title={t('card.noServiceAccounts.title')}
      description={t('card.noServiceAccounts.description', {
        annotation: annotationLine,
      })}
      action={
        requestAccessLink ? (
          <LinkButton
            to={requestAccessLink}
            variant="contained"
            color="primary"
          >
            {t('card.requestAccess')}
          </LinkButton>
        ) : undefined
      }
    />
  );
  // With nothing checked, an overall "unknown" would only alarm; the way forward is enough.
  if (report.bindings.length === 0 && report.checks.length === 0) {
    return empty;
  }
  return (
    <>
      <div className={classes.summary}>
        <OverallStatusChip status={report.overall} />
        <Typography variant="body2">
          {t(`overall.summary.${report.overall}`)}
        </Typography>
      </div>
      {report.checks.length > 0 && (
        <section className={classes.entityChecks}>
          <Typography
            variant="subtitle1"
            component="h3"
            className={classes.heading}
          >
            {t('entityChecks.title')}
          </Typography>
          <CheckList checks={report.checks} />
        </section>
      )}
      {report.bindings.length === 0
        ? empty
        : report.bindings.map(binding => (
            <BindingStatus
              key={`${binding.cluster}/${binding.namespace}/${binding.serviceAccount}`}
              binding={binding}
            />
          ))}
    </>
  );
}
