import type { ClusterNode } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { parseCidr } from '../sets/address-set.js';
import { IntervalSet } from '../sets/interval-set.js';
import { FieldError, labelMap, optionalList, optionalRecord, requiredName, type Obj } from './field-error.js';

/**
 * A core/v1 Node, read only for admin `nodes` peers: "It selects the nodeIPs ... by matching on
 * the IPs present in the node.Status.Addresses field" (network-policy-api v1alpha1/v1alpha2).
 * Host names in status.addresses are not IPs and are skipped.
 */
export function readNode(body: Obj, source: SourceRef): ClusterNode {
  const meta = optionalRecord(body.metadata, 'metadata');
  const status = optionalRecord(body.status, 'status');
  let addresses = IntervalSet.empty<bigint>();
  optionalList(status.addresses, 'status.addresses').forEach((raw, i) => {
    const entry = optionalRecord(raw, `status.addresses[${i}]`);
    if (entry.type !== 'InternalIP' && entry.type !== 'ExternalIP') return;
    if (typeof entry.address !== 'string') throw new FieldError(`status.addresses[${i}].address`, 'must be a string');
    const host = entry.address.includes(':') ? '/128' : '/32';
    try {
      addresses = addresses.union(parseCidr(`${entry.address}${host}`).range);
    } catch {
      throw new FieldError(`status.addresses[${i}].address`, `${JSON.stringify(entry.address)} is not an IP address`);
    }
  });
  return { name: requiredName(meta), labels: labelMap(meta.labels, 'metadata.labels'), addresses, source };
}
