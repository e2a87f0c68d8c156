import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { BindingReport } from '@backstage-irsa/plugin-irsa-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { irsaTranslationRef } from '../../translation';
import { CheckList } from './CheckList';
import { OverallStatusChip } from './OverallStatusChip';
import { RoleArn } from './RoleArn';
import { VerifyPanel } from './VerifyPanel';

/** @public */
export type PluginIrsaBindingStatusClassKey =
  | 'root'
  | 'header'
  | 'identity'
  | 'name'
  | 'notBound';

const useStyles = makeStyles(
  theme => ({
    root: {
      paddingTop: theme.spacing(2),
      marginTop: theme.spacing(2),
      borderTop: `1px solid ${theme.palette.divider}`,
    },
    header: {
      display: 'flex',
      alignItems: 'flex-start',
      gap: theme.spacing(1),
    },
    identity: { flexGrow: 1, minWidth: 0 },
    name: { fontWeight: theme.typography.fontWeightBold as number },
    notBound: { fontWeight: theme.typography.fontWeightBold as number },
  }),
  { name: 'PluginIrsaBindingStatus' },
);

/**
 * One ServiceAccount on one cluster: the role it is bound to (or that it is not), its
 * overall status, the pods that need a restart, and every check with its fix.
 */
export function BindingStatus(props: { binding: BindingReport }) {
  const { binding } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(irsaTranslationRef);
  const restart = binding.pods.filter(p => p.needsRestart).map(p => p.name);
  return (
    <section className={classes.root}>
      <div className={classes.header}>
        <div className={classes.identity}>
          <Typography
            variant="subtitle1"
            component="h3"
            className={classes.name}
          >
            {binding.namespace}/{binding.serviceAccount}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {t('binding.onCluster', { cluster: binding.cluster })}
          </Typography>
        </div>
        <OverallStatusChip status={binding.overall} />
      </div>
      {binding.roleArn ? (
        <RoleArn arn={binding.roleArn} />
      ) : (
        <Typography variant="body2" className={classes.notBound}>
          {t('binding.notBound')}
        </Typography>
      )}
      <VerifyPanel binding={binding} />
      {binding.pods.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          {t('binding.pods', { count: binding.pods.length })}
          {restart.length > 0 && (
            <>
              {' '}
              {t('binding.podsNeedRestart')} {restart.join(', ')}
            </>
          )}
        </Typography>
      )}
      <CheckList checks={binding.checks} />
    </section>
  );
}
