import { createIrsaActions, type IrsaActionsOptions } from '../actions';
import {
  renderActionReference,
  type DocumentedAction,
} from './actionReference';

/** docs/templates.md, from the repository root. */
export const TEMPLATES_DOC_PATH = 'docs/templates.md';
/** How to rewrite the generated block; named in the test's failure. */
export const TEMPLATES_DOC_COMMAND = 'scripts/templates-doc';

export const GENERATED_START = '<!-- generated:actions start -->';
export const GENERATED_END = '<!-- generated:actions end -->';

/**
 * A stand-in for every service the action factories are given: any property is another
 * stand-in, any call returns one. The reference only reads the actions' definitions (id,
 * schemas, examples), which need no service; a factory that touches a service while
 * building its action still gets something, and no handler is ever run.
 */
function inert(): any {
  return new Proxy(function inertService() {}, {
    get: (_target, property) =>
      // Not a thenable, so an accidental `await` does not hang on it.
      property === 'then' ? undefined : inert(),
    apply: () => inert(),
    construct: () => inert(),
  });
}

/**
 * The actions the module registers, in its order: `module.ts` adds exactly
 * `createIrsaActions(...)` (a test holds the two equal), so a new action appears in the
 * reference without anyone listing it here.
 */
export function documentedActions(): DocumentedAction[] {
  const options: IrsaActionsOptions = {
    irsaService: inert(),
    authorizer: inert(),
    auditor: inert(),
  };
  return createIrsaActions(options);
}

/**
 * The generated block, markers included. Prettier leaves it alone (`prettier-ignore`), so
 * the committed file stays byte-identical to this output whatever prettier's version.
 */
export function generatedActionsBlock(
  actions: readonly DocumentedAction[],
): string {
  // One blank line between the comments too: Markdown blocks, as prettier separates them.
  return [
    GENERATED_START,
    `<!-- Written by ${TEMPLATES_DOC_COMMAND} from the actions' zod schemas and *.examples.ts: edit those, not this block. -->`,
    '<!-- prettier-ignore-start -->',
    renderActionReference(actions),
    '<!-- prettier-ignore-end -->',
    GENERATED_END,
  ].join('\n\n');
}

/**
 * `doc` (the text of docs/templates.md) with its generated block replaced by the reference
 * of `actions`; the hand-written text around it is kept as it is.
 */
export function withGeneratedActions(
  doc: string,
  actions: readonly DocumentedAction[] = documentedActions(),
): string {
  const start = doc.indexOf(GENERATED_START);
  const end = doc.indexOf(GENERATED_END);
  if (start < 0 || end < start) {
    throw new Error(
      `${TEMPLATES_DOC_PATH} has no "${GENERATED_START}" ... "${GENERATED_END}" block; put both markers back where the action reference goes.`,
    );
  }
  return (
    doc.slice(0, start) +
    generatedActionsBlock(actions) +
    doc.slice(end + GENERATED_END.length)
  );
}
