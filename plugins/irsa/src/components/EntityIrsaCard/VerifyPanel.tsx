import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type BindingReport,
  irsaVerifyPermission,
} from '@backstage-irsa/plugin-irsa-common';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { irsaApiRef } from '../../api';
import { irsaTranslationRef } from '../../translation';
import { CheckItem } from './CheckItem';

/** @public */
export type PluginIrsaVerifyPanelClassKey = 'root' | 'identity';

const useStyles = makeStyles(
  theme => ({
    root: { marginTop: theme.spacing(1) },
    identity: { fontFamily: 'monospace', wordBreak: 'break-all' },
  }),
  { name: 'PluginIrsaVerifyPanel' },
);

/**
 * The live check: logs in to STS as this ServiceAccount would and shows who AWS says it
 * is — the one answer that settles whether the trust works, whatever the static checks
 * say. Only for callers holding `irsa.verify` on the entity.
 */
export function VerifyPanel(props: { binding: BindingReport }) {
  const { binding } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(irsaTranslationRef);
  const { entity } = useEntity();
  const api = useApi(irsaApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { allowed } = usePermission({
    permission: irsaVerifyPermission,
    resourceRef: entityRef,
  });
  const [state, verify] = useAsyncFn(
    () =>
      api.verify({
        entityRef,
        cluster: binding.cluster,
        namespace: binding.namespace,
        serviceAccount: binding.serviceAccount,
      }),
    [api, entityRef, binding],
  );
  if (!binding.roleArn) return null;
  return (
    <div className={classes.root}>
      <Tooltip title={allowed ? t('verify.hint') : t('verify.notAllowed')}>
        <span>
          <Button
            size="small"
            variant="outlined"
            color="primary"
            disabled={!allowed || state.loading}
            onClick={() => verify()}
          >
            {state.loading ? t('verify.running') : t('verify.button')}
          </Button>
        </span>
      </Tooltip>
      {state.error && (
        <Typography variant="body2" color="error" role="alert">
          {t('verify.failed')}: {state.error.message}
        </Typography>
      )}
      {state.value?.ok && (
        <Typography variant="body2" role="status">
          {t('verify.ok')}{' '}
          <code className={classes.identity}>{state.value.assumedRoleArn}</code>
        </Typography>
      )}
      {state.value && !state.value.ok && (
        <List dense disablePadding>
          <CheckItem check={state.value.check} />
        </List>
      )}
    </div>
  );
}
