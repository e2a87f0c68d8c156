import type { BindingRequest } from '@backstage-irsa/plugin-irsa-node';
import { InputError } from '@backstage/errors';

/** The template's inputs that describe one binding (all actions share the names). */
export interface BindingInput {
  cluster: string;
  accountId?: string;
  namespace?: string;
  serviceAccount?: string;
  serviceAccountPattern?: string;
  roleName?: string;
  policyArns?: string[];
  presets?: Array<{ name: string; parameters?: Record<string, string> }>;
  description?: string;
  kubernetesId?: string;
  adoptExisting?: boolean;
}

/**
 * The whole request, for planning every step before the first write; undefined when the
 * step was not given the binding (namespace, serviceAccount or serviceAccountPattern,
 * roleName). A template renders an unset optional parameter as '', which counts as not
 * given.
 */
export function bindingRequestOf(
  input: BindingInput,
): BindingRequest | undefined {
  const who = input.serviceAccount || input.serviceAccountPattern;
  const given = [input.namespace, who, input.roleName].filter(Boolean).length;
  if (given === 0) return undefined;
  if (given < 3) {
    throw new InputError(
      'Give namespace, serviceAccount (or serviceAccountPattern) and roleName together, so the whole request is checked before anything is written.',
    );
  }
  return {
    cluster: input.cluster,
    accountId: input.accountId || undefined,
    namespace: input.namespace!,
    serviceAccount: input.serviceAccount || undefined,
    serviceAccountPattern: input.serviceAccountPattern || undefined,
    roleName: input.roleName!,
    policyArns: input.policyArns ?? [],
    presets: input.presets ?? [],
    description: input.description || undefined,
    kubernetesId: input.kubernetesId || undefined,
    adoptExisting: input.adoptExisting || undefined,
  };
}
