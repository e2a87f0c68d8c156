import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { CheckResult } from '@backstage-irsa/plugin-irsa-common';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { irsaTranslationRef } from '../../translation';
import { StatusIcon } from './StatusIcon';
import { useDocsUrl } from './useDocsUrl';

/** @public */
export type PluginIrsaCheckItemClassKey = 'icon' | 'text' | 'code' | 'fix';

const useStyles = makeStyles(
  theme => ({
    icon: { minWidth: theme.spacing(4), marginTop: theme.spacing(0.25) },
    // The app theme makes list item text a single clipped line (nowrap + overflow hidden);
    // a fix is a sentence with a link at its end, so let it wrap, long ARNs included.
    text: { minWidth: 0, whiteSpace: 'normal', overflowWrap: 'anywhere' },
    code: {
      fontFamily: theme.typography.fontFamily,
      fontWeight: theme.typography.fontWeightBold as number,
      marginRight: theme.spacing(1),
    },
    fix: { marginTop: theme.spacing(0.5) },
  }),
  { name: 'PluginIrsaCheckItem' },
);

/**
 * One check: status, code, title and what was found. Anything but a pass also gets the fix
 * and a link to the troubleshooting guide, because that is what its reader has to act on.
 */
export function CheckItem(props: { check: CheckResult }) {
  const { check } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(irsaTranslationRef);
  const docsUrl = useDocsUrl();
  const needsAction = check.status !== 'pass';
  return (
    <ListItem alignItems="flex-start" disableGutters dense>
      <ListItemIcon className={classes.icon}>
        <StatusIcon status={check.status} />
      </ListItemIcon>
      <ListItemText
        className={classes.text}
        disableTypography
        primary={
          <Typography variant="body2" component="div">
            <span className={classes.code}>{check.code}</span>
            <span>{check.title}</span>
          </Typography>
        }
        secondary={
          <>
            {check.detail && (
              <Typography variant="body2" color="textSecondary">
                {check.detail}
              </Typography>
            )}
            {needsAction && (
              <Typography variant="body2" className={classes.fix}>
                <strong>{t('check.fix')}</strong> {check.fix}{' '}
                <Link
                  to={docsUrl(check.docsUrl)}
                  aria-label={t('check.troubleshootingFor', {
                    code: check.code,
                  })}
                >
                  {t('check.troubleshooting')}
                </Link>
              </Typography>
            )}
          </>
        }
      />
    </ListItem>
  );
}
