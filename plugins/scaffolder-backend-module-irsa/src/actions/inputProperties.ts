import type { z as zod } from 'zod/v3';

type Z = typeof zod;

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
        'Catalog entity the access is for, e.g. "component:default/payments-api"; recorded as a tag and label so only that entity can change it later.',
    })
    .optional();
