import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { CheckStatus } from '@backstage-irsa/plugin-irsa-common';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import WarningIcon from '@material-ui/icons/Warning';
import { irsaTranslationRef } from '../../translation';

/** @public */
export type PluginIrsaStatusIconClassKey = CheckStatus;

const useStyles = makeStyles(
  theme => ({
    pass: { color: theme.palette.success.main },
    warn: { color: theme.palette.warning.main },
    fail: { color: theme.palette.error.main },
    unknown: { color: theme.palette.text.secondary },
    notApplicable: { color: theme.palette.text.disabled },
  }),
  { name: 'PluginIrsaStatusIcon' },
);

const icons = {
  pass: CheckCircleIcon,
  warn: WarningIcon,
  fail: ErrorIcon,
  unknown: HelpIcon,
  notApplicable: RemoveCircleOutlineIcon,
};

/**
 * The icon of a check status. Labelled ("Fail", …) so colour is never the only signal; pass
 * `decorative` where a visible label beside it already says the status.
 */
export function StatusIcon(props: {
  status: CheckStatus;
  decorative?: boolean;
  fontSize?: 'inherit' | 'small' | 'default';
}) {
  const { status, decorative = false, fontSize = 'small' } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(irsaTranslationRef);
  const Icon = icons[status];
  return (
    <Icon
      className={classes[status]}
      fontSize={fontSize}
      titleAccess={decorative ? undefined : t(`check.status.${status}`)}
    />
  );
}
