import type {
  IrsaApi,
  IrsaRolePreviewResult,
  IrsaRoleRequest,
} from '../../api';

/**
 * Where the IRSA fields find the rest of the request in the template's form data: the
 * parameter names of examples/templates/request-aws-access by default, renamed in a
 * template with `ui:options: { fields: { cluster: 'targetCluster' } }` on each field.
 * @public
 */
export interface IrsaFormKeys {
  entity: string;
  cluster: string;
  accountId: string;
  namespace: string;
  serviceAccount: string;
  roleName: string;
  /** The IrsaPolicyPicker's value, `{ presets, policyArns }`. */
  policies: string;
}

const DEFAULT_KEYS: IrsaFormKeys = {
  entity: 'entity',
  cluster: 'cluster',
  accountId: 'accountId',
  namespace: 'namespace',
  serviceAccount: 'serviceAccount',
  roleName: 'roleName',
  policies: 'policies',
};

/** The UI options every IRSA field accepts. */
export type IrsaFieldUiOptions = { fields?: Partial<IrsaFormKeys> };

/** The keys in force for a field, from its `ui:options.fields`. */
export function formKeys(uiSchema: unknown): IrsaFormKeys {
  const options = (
    uiSchema as { 'ui:options'?: IrsaFieldUiOptions } | undefined
  )?.['ui:options'];
  return { ...DEFAULT_KEYS, ...(options?.fields ?? {}) };
}

/** The value of the IrsaPolicyPicker (and what the actions take as `presets`, `policyArns`). */
export interface IrsaPolicyValue {
  presets: Array<{ name: string; parameters?: Record<string, string> }>;
  policyArns: string[];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A policy picker value from whatever the form holds (nothing picked yet: empty). */
export function policyValueOf(value: unknown): IrsaPolicyValue {
  const v = (value ?? {}) as Partial<IrsaPolicyValue>;
  return {
    presets: Array.isArray(v.presets) ? v.presets : [],
    policyArns: Array.isArray(v.policyArns) ? v.policyArns : [],
  };
}

/**
 * The request the form holds, as the preview takes it; undefined until an entity and a
 * cluster are chosen (the backend judges a request for one entity on one cluster).
 * `overrides` are the calling field's own value, newer than the form data.
 */
export function roleRequestOf(
  formData: unknown,
  keys: IrsaFormKeys,
  overrides: Partial<IrsaRoleRequest> = {},
): IrsaRoleRequest | undefined {
  const data = (formData ?? {}) as Record<string, unknown>;
  const policies = policyValueOf(data[keys.policies]);
  // Templates that list managed policies without the picker pass `policyArns` as is.
  const plainArns = Array.isArray(data.policyArns)
    ? (data.policyArns as unknown[]).filter(
        (a): a is string => typeof a === 'string',
      )
    : [];
  const accountId = text(data[keys.accountId]);
  const request: IrsaRoleRequest = {
    entityRef: text(data[keys.entity]),
    cluster: text(data[keys.cluster]),
    namespace: text(data[keys.namespace]),
    serviceAccount: text(data[keys.serviceAccount]),
    roleName: text(data[keys.roleName]),
    ...(accountId ? { accountId } : {}),
    ...(policies.presets.length ? { presets: policies.presets } : {}),
    ...(policies.policyArns.length || plainArns.length
      ? { policyArns: [...policies.policyArns, ...plainArns] }
      : {}),
    ...overrides,
  };
  return request.entityRef && request.cluster ? request : undefined;
}

/** The name part of an entity ref (`component:default/payments-api` → `payments-api`). */
export function entityNameOf(entityRef: string): string {
  return (
    entityRef
      .slice(entityRef.lastIndexOf('/') + 1)
      .split(':')
      .pop() ?? ''
  );
}

/** Which field of the form a backend problem belongs to. */
export type ProblemPlace =
  | 'cluster'
  | 'accountId'
  | 'namespace'
  | 'serviceAccount'
  | 'roleName'
  | 'policies'
  | 'entity';

/** Where a preview problem (`field` as the validators name it) is shown. */
export function placeOf(field: string): ProblemPlace {
  if (field === 'roleNamePrefix' || field === 'roleName') return 'roleName';
  if (field.startsWith('policyArns') || field.startsWith('presets'))
    return 'policies';
  if (field === 'entityRef') return 'entity';
  if (
    field === 'cluster' ||
    field === 'accountId' ||
    field === 'namespace' ||
    field === 'serviceAccount'
  ) {
    return field;
  }
  // Anything else (an inline policy of a preset, say) is about what the role may do.
  return 'policies';
}

/** The messages of a preview that belong at `place`. */
export function problemsAt(
  preview: IrsaRolePreviewResult | undefined,
  place: ProblemPlace,
): string[] {
  return (preview?.problems ?? [])
    .filter(p => placeOf(p.field) === place)
    .map(p => p.message);
}

/** The server's own message of a failed call (ResponseError carries it in its body). */
export function errorMessage(error: unknown): string {
  const e = error as {
    body?: { error?: { message?: string } };
    message?: string;
  };
  return e?.body?.error?.message ?? e?.message ?? String(error);
}

// One preview per request, shared by the fields that show it and their validations, so a
// keystroke or a press on Review asks once however many fields look. Bounded and short-lived
// (the entity's annotations may change), and failures are not kept.
const previews = new Map<
  string,
  { at: number; answer: Promise<IrsaRolePreviewResult> }
>();
const MAX_PREVIEWS = 50;
const PREVIEW_TTL_MS = 30_000;

/** The preview of `request`, asked once however many fields want it. */
export function previewOnce(
  api: Pick<IrsaApi, 'previewRole'>,
  request: IrsaRoleRequest,
): Promise<IrsaRolePreviewResult> {
  const key = JSON.stringify(request);
  const known = previews.get(key);
  if (known && Date.now() - known.at < PREVIEW_TTL_MS) return known.answer;
  const answer = api.previewRole(request);
  previews.set(key, { at: Date.now(), answer });
  answer.catch(() => previews.delete(key));
  if (previews.size > MAX_PREVIEWS) {
    previews.delete(previews.keys().next().value as string);
  }
  return answer;
}

/** Forgets every kept preview (tests, and a form opened anew). */
export function forgetPreviews(): void {
  previews.clear();
}
