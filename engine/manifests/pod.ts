import type { Pod } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import {
  labelMap,
  NO_FIELDS,
  NO_ITEMS,
  namespaceOf,
  optionalList,
  optionalRecord,
  Problems,
  requiredName,
  type Obj,
} from './field-error.js';
import { ConsecutiveReads } from './consecutive-reads.js';
import { controllerOwner, type OwnerRef } from './owner.js';
import { NO_POD_SPEC, readPodSpec } from './pod-spec.js';

/**
 * A Pod as read: the model's pod (its workload filled in when pods are grouped) and what
 * grouping needs besides. The pod is built once, not copied from facts: 150k pods read and
 * then copied were the copies' worth of young-generation GC.
 */
export interface PodFacts {
  pod: Pod;
  owner?: OwnerRef;
  /** Succeeded/Failed pods hold no address and take no traffic. */
  finished: boolean;
}

/** A Pod, every problem of it reported (thrown together). */
export function readPod(body: Obj, source: SourceRef, shared = new ConsecutiveReads()): PodFacts {
  // Readers and their arguments, not closures, and shared fallbacks: nothing allocated per part.
  const problems = new Problems();
  const meta = problems.read(NO_FIELDS, optionalRecord, body.metadata, 'metadata');
  const status = problems.read(NO_FIELDS, optionalRecord, body.status, 'status');
  const namespace = problems.read('', namespaceOf, meta);
  const name = problems.read('', requiredName, meta);
  const labels = problems.read(NO_FIELDS as Record<string, string>, labelMap, meta.labels, 'metadata.labels');
  const owner = shared.ownerRef(problems.read(undefined, controllerOwner, meta));
  const spec = problems.read(
    NO_POD_SPEC,
    readPodSpec,
    problems.read(NO_FIELDS, optionalRecord, body.spec, 'spec'),
    'spec',
  );
  // podIP is podIPs[0] when both are set: a list of one or two, deduplicated without a Set.
  const ips: string[] = [];
  if (typeof status.podIP === 'string' && status.podIP) ips.push(status.podIP);
  for (const entry of problems.read(NO_ITEMS, optionalList, status.podIPs, 'status.podIPs')) {
    const ip = problems.read(NO_FIELDS, optionalRecord, entry, 'status.podIPs').ip;
    if (typeof ip === 'string' && ip && !ips.includes(ip)) ips.push(ip);
  }
  return problems.done({
    pod: {
      namespace,
      name,
      labels,
      namedPorts: shared.namedPorts(spec.namedPorts),
      ips,
      hostNetwork: spec.hostNetwork,
      workloadId: '',
      fromTemplate: false,
      source,
    },
    owner,
    finished: status.phase === 'Succeeded' || status.phase === 'Failed',
  });
}
