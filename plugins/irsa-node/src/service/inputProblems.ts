import {
  type Problem,
  troubleshootingUrl,
} from '@backstage-irsa/plugin-irsa-common';
import { InputError } from '@backstage/errors';

/**
 * One InputError carrying every problem of a request, so a user fixes them in one go. A
 * problem the card also reports keeps its code and troubleshooting section, so the task
 * log and the card point to the same place.
 */
export function throwInputProblems(what: string, problems: Problem[]): never {
  const text = problems.map(p =>
    p.code
      ? `${p.message} [${p.code}: ${troubleshootingUrl(p.code)}]`
      : p.message,
  );
  throw new InputError(`Invalid ${what}: ${text.join(' ')}`);
}
