import {
  namespaceProblems,
  OVERALL_STATUSES,
  type OverallStatus,
  OVERVIEW_SORT_KEYS,
  parseRequestEntityRef,
  type Problem,
  serviceAccountNameProblems,
} from '@backstage-irsa/plugin-irsa-common';
import { InputError } from '@backstage/errors';
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';

/** Request bodies are a few names; anything bigger is refused before it is parsed. */
export const BODY_LIMIT = '16kb';

/** A zod refinement that adds the irsa-common validators' problems, so form, actions and API agree. */
function withProblems(check: (value: string) => Problem[]) {
  return (value: string, ctx: z.RefinementCtx) => {
    for (const p of check(value)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: p.message });
    }
  };
}

const entityRef = z
  .string({
    required_error: 'is required, e.g. component:default/payments-api',
  })
  .superRefine(
    withProblems(v => {
      const parsed = parseRequestEntityRef(v);
      return parsed.ok ? [] : parsed.problems;
    }),
  );

// Strict: a field the API does not know (a roleArn of the caller's choosing, say) is
// refused, not silently ignored.
export const verifyBody = z
  .object({
    entityRef,
    cluster: z.string({ required_error: 'is required' }).min(1, 'is required'),
    namespace: z
      .string({ required_error: 'is required' })
      .superRefine(withProblems(v => namespaceProblems(v))),
    serviceAccount: z
      .string({ required_error: 'is required' })
      .superRefine(withProblems(v => serviceAccountNameProblems(v))),
  })
  .strict();

export const statusQuery = z
  .object({
    entityRef,
    // The card's Refresh: read every peer anew instead of the cache (irsa.cache).
    fresh: z.enum(['true', 'false']).optional(),
  })
  .strict();

const wholeNumber = (
  what: string,
  min: number,
  max: number,
  fallback: number,
) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine(n => n >= min && n <= max, `must be from ${min} to ${max}`)
    .optional()
    .transform(n => n ?? fallback)
    .describe(what);

/** A comma-separated list of overall statuses, e.g. `broken,unknown`. */
const statusList = z
  .string()
  .transform(v => v.split(',').map(s => s.trim()))
  .superRefine((values, ctx) => {
    for (const v of values) {
      if (!OVERALL_STATUSES.includes(v as OverallStatus)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `"${v.slice(
            0,
            40,
          )}" is not a status: use ${OVERALL_STATUSES.join(
            ', ',
          )}, comma-separated`,
        });
      }
    }
  })
  .transform(values => [...new Set(values)] as OverallStatus[]);

/** The overview's exact-match filters and order (its page, and its export). */
const overviewFilters = {
  cluster: z.string().min(1).max(253).optional(),
  namespace: z
    .string()
    .superRefine(withProblems(v => namespaceProblems(v)))
    .optional(),
  entityRef: entityRef.optional(),
  status: statusList.optional(),
  sort: z.enum(OVERVIEW_SORT_KEYS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  fresh: z.enum(['true', 'false']).optional(),
};

/** The platform overview: a page, and exact-match filters. */
export const overviewQuery = z
  .object({
    page: wholeNumber('page', 1, 100_000, 1),
    pageSize: wholeNumber('pageSize', 1, 200, 50),
    ...overviewFilters,
  })
  .strict();

/** Every row of the overview the filters match, as a file. */
export const overviewExportQuery = z
  .object({
    format: z.enum(['csv', 'json']).optional(),
    ...overviewFilters,
  })
  .strict();

/** A page of one kind of leftover: orphaned roles, or ServiceAccounts whose role is gone. */
export const orphansQuery = z
  .object({
    kind: z.enum(['roles', 'serviceAccounts']),
    page: wholeNumber('page', 1, 100_000, 1),
    pageSize: wholeNumber('pageSize', 1, 200, 50),
    cluster: overviewFilters.cluster,
    namespace: overviewFilters.namespace,
    entityRef: overviewFilters.entityRef,
    fresh: z.enum(['true', 'false']).optional(),
  })
  .strict();

/** The template form's namespace picker: one cluster's namespaces, judged for one entity. */
export const formNamespacesQuery = z
  .object({
    cluster: z.string({ required_error: 'is required' }).min(1).max(253),
    entityRef,
  })
  .strict();

// Form values are checked by the validators the actions use (the preview's `problems`);
// here only their type and a bound on their size, so a half-filled form still previews.
const formText = z.string().max(1024);

/** The template form's preview: the whole request, as the actions would get it. */
export const formPreviewBody = z
  .object({
    entityRef,
    cluster: formText,
    // An empty account field means the cluster's own account.
    accountId: formText.optional().transform(v => (v === '' ? undefined : v)),
    namespace: formText,
    serviceAccount: formText,
    roleName: formText,
    presets: z
      .array(
        z
          .object({
            name: formText,
            parameters: z.record(formText).optional(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
    policyArns: z.array(formText).max(50).optional(),
  })
  .strict();

/**
 * Parses a request part; an InputError names each bad field (`body` or `query` for the
 * whole), never repeats a long value, and lists unknown fields by name.
 */
export function parseRequest<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  value: unknown,
  part: 'body' | 'query',
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map(issue => {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      return `${issue.keys
        .map(k => (k.length > 40 ? `${k.slice(0, 40)}…` : k))
        .join(', ')}: not a field of this request`;
    }
    const field = issue.path.length ? issue.path.join('.') : part;
    if (issue.code === z.ZodIssueCode.invalid_type) {
      return issue.received === 'undefined'
        ? `${field}: is required`
        : `${field}: must be ${issue.expected}, not ${issue.received}`;
    }
    return `${field}: ${issue.message}`;
  });
  throw new InputError(`Invalid request ${part}: ${messages.join('; ')}`);
}

/**
 * express.json's own refusals (too large, not JSON), as answers that name the body and carry
 * no parser internals.
 */
export const bodyParserErrors: ErrorRequestHandler = (
  err,
  _req,
  _res,
  next,
) => {
  if (err?.type === 'entity.too.large') {
    next(
      Object.assign(
        new Error(`body: the request body is over the ${BODY_LIMIT} limit`),
        { name: 'PayloadTooLargeError', statusCode: 413 },
      ),
    );
    return;
  }
  if (err?.type === 'entity.parse.failed') {
    next(new InputError('body: the request body is not valid JSON'));
    return;
  }
  next(err);
};
