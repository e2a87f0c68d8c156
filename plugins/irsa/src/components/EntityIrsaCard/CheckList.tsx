import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type { CheckResult } from '@backstage-irsa/plugin-irsa-common';
import Button from '@material-ui/core/Button';
import Collapse from '@material-ui/core/Collapse';
import List from '@material-ui/core/List';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useState } from 'react';
import { irsaTranslationRef } from '../../translation';
import { CheckItem } from './CheckItem';

/**
 * A set of checks with what needs attention (fail, warn, unknown) always shown, in the
 * backend's order, and the passes folded behind a toggle so they do not bury it.
 */
export function CheckList(props: { checks: CheckResult[] }) {
  const { checks } = props;
  const { t } = useTranslationRef(irsaTranslationRef);
  const [showPassed, setShowPassed] = useState(false);
  const attention = checks.filter(c => c.status !== 'pass');
  const passed = checks.filter(c => c.status === 'pass');
  const count = passed.length;
  return (
    <>
      {attention.length > 0 && (
        <List dense disablePadding>
          {attention.map((check, i) => (
            <CheckItem key={`${check.code}-${i}`} check={check} />
          ))}
        </List>
      )}
      {count > 0 && (
        <>
          <Button
            size="small"
            aria-expanded={showPassed}
            startIcon={showPassed ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            onClick={() => setShowPassed(shown => !shown)}
          >
            {showPassed
              ? t('check.hidePassed', { count })
              : t('check.showPassed', { count })}
          </Button>
          <Collapse in={showPassed} unmountOnExit>
            <List dense disablePadding>
              {passed.map((check, i) => (
                <CheckItem key={`${check.code}-${i}`} check={check} />
              ))}
            </List>
          </Collapse>
        </>
      )}
    </>
  );
}
