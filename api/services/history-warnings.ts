import { networksKey, parseCidr } from '../../engine/index.js';
import type { SnapshotObjects } from '../../store/history/objects.js';
import type { ReadableSnapshot } from './snapshot-resolver.js';

/**
 * What an answer read from stored history must say about itself: where admin `networks` peers
 * held pod addresses when the snapshot was taken. Upstream matches pods by IP against them, so
 * those pods' answers rest on the addresses they had then; history keeps which peers held each
 * pod's addresses (networks-cells.ts), not the addresses. Read from the stored objects alone, so
 * every answer of the snapshot can carry it at the cost of a scan of its policies.
 */
export function historyWarnings(objects: SnapshotObjects, snapshot: ReadableSnapshot): string[] {
  const holders = new Map<string, string[]>();
  for (const w of objects.workloads) {
    const keys = new Set(w.variants.flatMap((v) => (v.networks ?? []).flatMap((cell) => cell.networks)));
    for (const key of keys) holders.set(key, [...(holders.get(key) ?? []), w.id]);
  }
  if (holders.size === 0) return [];
  const warnings: string[] = [];
  for (const policy of objects.policies) {
    const egress = (policy.body.spec as { egress?: unknown } | undefined)?.egress;
    if (!Array.isArray(egress)) continue;
    egress.forEach((rule: { name?: unknown; to?: unknown }, i) => {
      if (!Array.isArray(rule?.to)) return;
      rule.to.forEach((peer: { networks?: unknown }, j) => {
        const workloads = Array.isArray(peer?.networks) ? holders.get(keyOf(peer.networks)) : undefined;
        if (!workloads) return;
        const name = typeof rule.name === 'string' ? ` "${rule.name}"` : '';
        warnings.push(
          `${policy.kind} ${policy.key} spec.egress[${i}].to[${j}].networks (${(peer.networks as string[]).join(', ')}) ` +
            `held the pod addresses of ${workloads.length} workload(s) when snapshot ${snapshot.id} was taken, e.g. ${workloads[0]}: ` +
            `egress rule ${i}${name} decides their traffic by the addresses they had then (upstream matches pods by IP too); ` +
            'history keeps which networks held each pod, not its IP, and a pod restarted since may have another',
        );
      });
    });
  }
  return warnings;
}

function keyOf(cidrs: unknown[]): string {
  try {
    return networksKey(cidrs.map((c) => parseCidr(String(c))));
  } catch {
    return ''; // stored policies were valid; a CIDR that no longer parses held nothing
  }
}
