/**
 * Thrown when the `irsa` config section is missing or invalid. The message lists every
 * problem with the config key it concerns, so an operator can fix them all in one go.
 */
export class IrsaConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string[]) {
    super(
      `Invalid backstage-irsa configuration (${problems.length} problem${
        problems.length === 1 ? '' : 's'
      }):\n${problems.map(p => `  - ${p}`).join('\n')}\n` +
        'See plugins/irsa-node/config.d.ts and docs/configuration.md.',
    );
    this.name = 'IrsaConfigError';
    this.problems = problems;
    // A configuration mistake is the operator's to fix, not a bug: the backend logs
    // `stack`, so keep it to the message instead of a trace through Backstage internals.
    this.stack = `${this.name}: ${this.message}`;
  }
}
