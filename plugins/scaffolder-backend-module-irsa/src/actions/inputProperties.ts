import type { z as zod } from 'zod/v3';

/** The zod namespace the scaffolder hands to input schema factories. */
export type ZodApi = typeof zod;
type Z = ZodApi;

/** Shared input fragments, so every IRSA action describes a field the same way. */
export const clusterInput = (z: Z) =>
  z.string({
    description:
      'Name of a cluster from irsa.clusters in app-config (the template\'s cluster picker lists them), e.g. "prod-eu".',
  });

export const namespaceInput = (z: Z) =>
  z.string({
    description:
      'Kubernetes namespace of the ServiceAccount (DNS-1123 label), e.g. "payments".',
  });

export const serviceAccountInput = (z: Z) =>
  z.string({
    description:
      'Name of the ServiceAccount (DNS-1123 subdomain), e.g. "payments-api".',
  });

export const accountIdInput = (z: Z) =>
  z
    .string({
      description:
        "12-digit AWS account of the role; the cluster's account when omitted (cross-account IRSA otherwise).",
    })
    .optional();

export const entityRefInput = (z: Z) =>
  z
    .string({
      description:
        'Catalog entity the access is for, e.g. "component:default/payments-api" (required). The user who started the task must hold irsa.binding.create on it (by default: be an owner); it is recorded as a tag and annotation so only that entity can change the role and ServiceAccount later.',
    })
    .min(1);

export const roleNameInput = (z: Z) =>
  z.string({
    description:
      "IAM role name; the platform's prefix (irsa.guardrails.roleNamePrefix) is added when missing.",
  });

export const policyArnsInput = (z: Z) =>
  z
    .array(z.string(), {
      description:
        'Managed policy ARNs to attach; each must be allowed by irsa.guardrails.allowedPolicyArns.',
    })
    .optional();
