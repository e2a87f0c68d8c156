import { CopyTextButton, Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  parseRoleArn,
  roleConsoleUrl,
} from '@backstage-irsa/plugin-irsa-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { irsaTranslationRef } from '../../translation';

/** @public */
export type PluginIrsaRoleArnClassKey = 'root' | 'label' | 'arn' | 'console';

const useStyles = makeStyles(
  theme => ({
    root: { display: 'flex', alignItems: 'center', flexWrap: 'wrap' },
    label: { marginRight: theme.spacing(1) },
    // Role ARNs are long and have no spaces; let them wrap instead of widening the card.
    arn: { fontFamily: 'monospace', wordBreak: 'break-all' },
    console: { marginLeft: theme.spacing(1) },
  }),
  { name: 'PluginIrsaRoleArn' },
);

/**
 * A binding's role ARN: copyable, and linked to the role's page in the IAM console of its
 * partition (the console opens it in the account the user is signed in to, so the link
 * names the account).
 */
export function RoleArn(props: { arn: string }) {
  const { arn } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(irsaTranslationRef);
  const parsed = parseRoleArn(arn);
  return (
    <Typography variant="body2" component="div" className={classes.root}>
      <span className={classes.label}>{t('binding.role')}</span>
      <code className={classes.arn}>{arn}</code>
      <CopyTextButton
        text={arn}
        tooltipText={t('binding.copied')}
        aria-label={t('binding.copyArn')}
      />
      {parsed.ok && (
        <Link
          className={classes.console}
          to={roleConsoleUrl(parsed.value)}
          target="_blank"
          rel="noopener noreferrer"
        >
          {t('binding.openConsole', { account: parsed.value.accountId })}
        </Link>
      )}
    </Typography>
  );
}
