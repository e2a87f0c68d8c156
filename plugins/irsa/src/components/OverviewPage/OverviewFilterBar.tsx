import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  namespaceProblems,
  OVERALL_STATUSES,
  type OverallStatus,
  parseRequestEntityRef,
} from '@backstage-irsa/plugin-irsa-common';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { type KeyboardEvent, useState } from 'react';
import { irsaTranslationRef } from '../../translation';

/** What the bindings table is narrowed to; each matches exactly, as the API does. */
export interface OverviewFilterValues {
  cluster?: string;
  namespace?: string;
  entityRef?: string;
  status?: OverallStatus;
}

/** Checks a typed value as the API would, so a typo says why here rather than as a 400. */
const problemsOf = {
  namespace: (v: string) => namespaceProblems(v)[0]?.message,
  entityRef: (v: string) => {
    const parsed = parseRequestEntityRef(v);
    return parsed.ok ? undefined : parsed.problems[0]?.message;
  },
};

/** A text filter applied on Enter or when it loses focus, and only when valid. */
function TextFilter(props: {
  label: string;
  name: 'namespace' | 'entityRef';
  value?: string;
  placeholder?: string;
  onApply(value: string | undefined): void;
}) {
  const { t } = useTranslationRef(irsaTranslationRef);
  const [text, setText] = useState(props.value ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const apply = () => {
    const value = text.trim();
    const found = value ? problemsOf[props.name](value) : undefined;
    setProblem(found);
    if (!found && value !== (props.value ?? '')) {
      props.onApply(value || undefined);
    }
  };
  return (
    <TextField
      fullWidth
      variant="outlined"
      size="small"
      label={props.label}
      id={`irsa-overview-${props.name}`}
      name={props.name}
      value={text}
      placeholder={props.placeholder}
      error={Boolean(problem)}
      helperText={problem ?? t('overview.filters.apply')}
      onChange={e => setText(e.target.value)}
      onBlur={apply}
      onKeyDown={(e: KeyboardEvent) => {
        if (e.key === 'Enter') apply();
      }}
    />
  );
}

/** The filters above the bindings table: cluster, namespace, owner entity and status. */
export function OverviewFilterBar(props: {
  clusters: string[];
  value: OverviewFilterValues;
  onChange(value: OverviewFilterValues): void;
  /** Leftovers have no status to filter by. */
  hideStatus?: boolean;
}) {
  const { t } = useTranslationRef(irsaTranslationRef);
  const { value, onChange } = props;
  const set = (patch: OverviewFilterValues) => onChange({ ...value, ...patch });
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6} md={3}>
        <TextField
          select
          fullWidth
          variant="outlined"
          size="small"
          id="irsa-overview-cluster"
          label={t('overview.filters.cluster')}
          value={value.cluster ?? ''}
          SelectProps={{ displayEmpty: true }}
          InputLabelProps={{ shrink: true }}
          onChange={e => set({ cluster: e.target.value || undefined })}
          inputProps={{ 'data-testid': 'irsa-overview-cluster' }}
        >
          <MenuItem value="">{t('overview.filters.anyCluster')}</MenuItem>
          {props.clusters.map(name => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} sm={6} md={3}>
        <TextFilter
          name="namespace"
          label={t('overview.filters.namespace')}
          value={value.namespace}
          onApply={namespace => set({ namespace })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3}>
        <TextFilter
          name="entityRef"
          label={t('overview.filters.entity')}
          placeholder={t('overview.filters.entityPlaceholder')}
          value={value.entityRef}
          onApply={entityRef => set({ entityRef })}
        />
      </Grid>
      {props.hideStatus ? null : (
        <Grid item xs={12} sm={6} md={3}>
          <TextField
            select
            fullWidth
            variant="outlined"
            size="small"
            id="irsa-overview-status"
            label={t('overview.filters.status')}
            value={value.status ?? ''}
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
            onChange={e =>
              set({ status: (e.target.value as OverallStatus) || undefined })
            }
            inputProps={{ 'data-testid': 'irsa-overview-status' }}
          >
            <MenuItem value="">{t('overview.filters.anyStatus')}</MenuItem>
            {[...OVERALL_STATUSES].reverse().map(status => (
              <MenuItem key={status} value={status}>
                {t(`overall.status.${status}`)}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
      )}
    </Grid>
  );
}
