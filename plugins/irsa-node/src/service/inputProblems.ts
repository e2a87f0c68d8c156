import type { Problem } from '@backstage-irsa/plugin-irsa-common';
import { InputError } from '@backstage/errors';

/** One InputError carrying every problem of a request, so a user fixes them in one go. */
export function throwInputProblems(what: string, problems: Problem[]): never {
  throw new InputError(
    `Invalid ${what}: ${problems.map(p => p.message).join(' ')}`,
  );
}
