import type { z as zod } from 'zod/v3';

type Z = typeof zod;

/** Shared input fragments, so every IRSA action describes a field the same way. */
export const clusterInput = (z: Z) =>
  z.string({
    description:
      'Name of a cluster from irsa.clusters in app-config (the template\'s cluster picker lists them), e.g. "prod-eu".',
  });
