import type { ClusterNode } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { parseCidr } from '../sets/address-set.js';
import { IntervalSet } from '../sets/interval-set.js';
import { FieldError, labelMap, optionalList, optionalRecord, Problems, requiredName, type Obj } from './field-error.js';

/**
 * A core/v1 Node, read only for admin `nodes` peers: "It selects the nodeIPs ... by matching on
 * the IPs present in the node.Status.Addresses field" (network-policy-api v1alpha1/v1alpha2).
 * Host names in status.addresses are not IPs and are skipped.
 */
export function readNode(body: Obj, source: SourceRef): ClusterNode {
  const problems = new Problems();
  const meta = problems.read({}, () => optionalRecord(body.metadata, 'metadata'));
  const status = problems.read({}, () => optionalRecord(body.status, 'status'));
  const name = problems.read('', () => requiredName(meta));
  const labels = problems.read({}, () => labelMap(meta.labels, 'metadata.labels'));
  let addresses = IntervalSet.empty<bigint>();
  problems.each(
    problems.read([], () => optionalList(status.addresses, 'status.addresses')),
    (raw, i) => {
      const entry = optionalRecord(raw, `status.addresses[${i}]`);
      if (entry.type !== 'InternalIP' && entry.type !== 'ExternalIP') return;
      if (typeof entry.address !== 'string') throw new FieldError(`status.addresses[${i}].address`, 'must be a string');
      const host = entry.address.includes(':') ? '/128' : '/32';
      try {
        addresses = addresses.union(parseCidr(`${entry.address}${host}`).range);
      } catch {
        throw new FieldError(`status.addresses[${i}].address`, `${JSON.stringify(entry.address)} is not an IP address`);
      }
    },
  );
  return problems.done({ name, labels, addresses, source });
}
