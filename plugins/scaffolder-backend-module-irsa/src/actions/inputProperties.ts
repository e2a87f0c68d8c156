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

export const adoptExistingInput = (z: Z) =>
  z
    .boolean({
      description:
        "Adopt the ServiceAccount when it already exists and backstage-irsa did not create it (a Helm chart's, a team's); refused when false (the default). Adopting adds only the role annotation, the irsa.backstage.io/adopted-by annotation and the entity's labels, with Kubernetes server-side apply as field manager \"backstage-irsa\"; every other field and its owner stay as they are.",
    })
    .optional();

export const serviceAccountPatternInput = (z: Z) =>
  z
    .string({
      description:
        'Instead of serviceAccount: trust every ServiceAccount of namespace whose name matches this pattern ("*" any run of characters, "?" one), e.g. "worker-*". Must start with a literal letter or digit and stay inside the namespace. Only when the platform sets irsa.guardrails.allowServiceAccountPatterns. With serviceAccount too, that name must match it.',
    })
    .optional();

export const presetsInput = (z: Z) =>
  z
    .array(
      z.object({
        name: z.string({
          description:
            'Name of a preset from irsa.presets, e.g. "s3-read-bucket".',
        }),
        parameters: z
          .record(z.string(), {
            description:
              'Values of the preset\'s parameters by name, e.g. { "bucket": "payments-reports" }; each must match the parameter\'s pattern.',
          })
          .optional(),
      }),
      {
        description:
          "Policy presets of the platform (irsa.presets): each one's managed policies are attached and its inline policy is written as preset-<name>, with the parameters filled in.",
      },
    )
    .optional();
