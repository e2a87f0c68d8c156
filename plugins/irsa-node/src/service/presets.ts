import {
  type PresetSelection,
  partitionForRegion,
  type Problem,
  presetSelectionProblems,
  type ResolvedPresets,
  resolvePresets,
} from '@backstage-irsa/plugin-irsa-common';
import type { ClusterRegistry } from '../config';

/** What a request says about presets, and where it is made. */
export interface PresetRequest {
  cluster: string;
  accountId?: string;
  namespace: string;
  serviceAccount?: string;
  presets?: PresetSelection[];
}

/**
 * The presets a request selects, rendered for its role (partition, account, region,
 * namespace, ServiceAccount), or the problems that refuse them; pure, no cloud call. For
 * an unknown cluster only the selection is checked (the cluster is reported elsewhere).
 */
export function resolveRequestPresets(
  registry: ClusterRegistry,
  request: PresetRequest,
): { problems: Problem[]; resolved: ResolvedPresets } {
  const empty: ResolvedPresets = { policyArns: [], inlinePolicies: [] };
  const selections = request.presets ?? [];
  if (selections.length === 0) return { problems: [], resolved: empty };
  const cluster = registry.list().find(c => c.name === request.cluster);
  if (!cluster) {
    return {
      problems: presetSelectionProblems(selections, registry.presets),
      resolved: empty,
    };
  }
  const result = resolvePresets(
    selections,
    registry.presets,
    {
      partition: partitionForRegion(cluster.region),
      accountId: request.accountId ?? cluster.accountId,
      region: cluster.region,
      namespace: request.namespace,
      serviceAccount: request.serviceAccount,
    },
    {
      allowAllActionsOnAllResources:
        registry.guardrails.allowAllActionsOnAllResources,
    },
  );
  return result.ok
    ? { problems: [], resolved: result.value }
    : { problems: result.problems, resolved: empty };
}

/** Each managed policy of the selected presets, with the preset that brings it. */
export function presetPolicyArnsOf(
  registry: ClusterRegistry,
  selections: readonly PresetSelection[] = [],
): Array<{ index: number; preset: string; arn: string }> {
  return selections.flatMap((selection, index) => {
    const preset = registry.presets.find(p => p.name === selection.name);
    return (preset?.policyArns ?? []).map(arn => ({
      index,
      preset: preset!.name,
      arn,
    }));
  });
}
