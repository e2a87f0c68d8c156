import {
  type Problem,
  troubleshootingUrl,
} from '@backstage-irsa/plugin-irsa-common';
import { InputError } from '@backstage/errors';

/** How many problems one refusal lists. */
const MAX_PROBLEMS_SHOWN = 10;

/**
 * One InputError carrying every problem of a request, so a user fixes them in one go, each
 * led by the input field it is about. A problem the card also reports keeps its code and
 * troubleshooting section, so the task log and the card point to the same place.
 */
export function throwInputProblems(what: string, problems: Problem[]): never {
  // The first problems say what to fix; hundreds (a list of 500 bad ARNs) would bury them.
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
  const text = shown.map(p => {
    const message = p.field ? `${p.field}: ${p.message}` : p.message;
    return p.code
      ? `${message} [${p.code}: ${troubleshootingUrl(p.code)}]`
      : message;
  });
  if (problems.length > shown.length) {
    text.push(`(${problems.length - shown.length} more problems not shown.)`);
  }
  throw new InputError(`Invalid ${what}: ${text.join(' ')}`);
}
