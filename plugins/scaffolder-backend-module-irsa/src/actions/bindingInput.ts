import type { BindingRequest } from '@backstage-irsa/plugin-irsa-node';
import { InputError } from '@backstage/errors';

/** The template's inputs that describe one binding (all actions share the names). */
export interface BindingInput {
  cluster: string;
  accountId?: string;
  namespace?: string;
  serviceAccount?: string;
  roleName?: string;
  policyArns?: string[];
  description?: string;
  kubernetesId?: string;
}

/**
 * The whole request, for planning every step before the first write; undefined when the
 * step was not given the binding (namespace, serviceAccount, roleName). A template
 * renders an unset optional parameter as '', which counts as not given.
 */
export function bindingRequestOf(
  input: BindingInput,
): BindingRequest | undefined {
  const given = [input.namespace, input.serviceAccount, input.roleName].filter(
    Boolean,
  ).length;
  if (given === 0) return undefined;
  if (given < 3) {
    throw new InputError(
      'Give namespace, serviceAccount and roleName together, so the whole request is checked before anything is written.',
    );
  }
  return {
    cluster: input.cluster,
    accountId: input.accountId || undefined,
    namespace: input.namespace!,
    serviceAccount: input.serviceAccount!,
    roleName: input.roleName!,
    policyArns: input.policyArns ?? [],
    description: input.description || undefined,
    kubernetesId: input.kubernetesId || undefined,
  };
}
