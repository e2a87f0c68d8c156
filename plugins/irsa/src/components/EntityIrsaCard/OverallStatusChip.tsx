import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type {
  CheckStatus,
  OverallStatus,
} from '@backstage-irsa/plugin-irsa-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { irsaTranslationRef } from '../../translation';
import { StatusIcon } from './StatusIcon';

/** @public */
export type PluginIrsaOverallStatusChipClassKey = OverallStatus;

const useStyles = makeStyles(
  theme => ({
    trusted: {
      borderColor: theme.palette.success.main,
      color: theme.palette.success.main,
    },
    warning: {
      borderColor: theme.palette.warning.main,
      color: theme.palette.warning.dark,
    },
    broken: {
      borderColor: theme.palette.error.main,
      color: theme.palette.error.main,
    },
    unknown: {
      borderColor: theme.palette.text.secondary,
      color: theme.palette.text.secondary,
    },
  }),
  { name: 'PluginIrsaOverallStatusChip' },
);

/** The icon an overall status shares with the check status it is derived from. */
const iconStatus: Record<OverallStatus, CheckStatus> = {
  trusted: 'pass',
  warning: 'warn',
  broken: 'fail',
  unknown: 'unknown',
};

/** The overall status of an entity or a binding, as a labelled chip. */
export function OverallStatusChip(props: { status: OverallStatus }) {
  const { status } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(irsaTranslationRef);
  return (
    <Chip
      variant="outlined"
      size="small"
      className={classes[status]}
      // The chip's label says the status; the icon only repeats it.
      icon={<StatusIcon status={iconStatus[status]} decorative />}
      label={t(`overall.status.${status}`)}
    />
  );
}
