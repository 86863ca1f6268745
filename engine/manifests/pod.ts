import type { SourceRef } from '../model/source.js';
import { labelMap, namespaceOf, optionalList, optionalRecord, requiredName, type Obj } from './field-error.js';
import { controllerOwner, type OwnerRef } from './owner.js';
import { readPodSpec, type PodSpecFacts } from './pod-spec.js';

export interface PodFacts extends PodSpecFacts {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ips: string[];
  owner?: OwnerRef;
  /** Succeeded/Failed pods hold no address and take no traffic. */
  finished: boolean;
  source: SourceRef;
}

export function readPod(body: Obj, source: SourceRef): PodFacts {
  const meta = optionalRecord(body.metadata, 'metadata');
  const status = optionalRecord(body.status, 'status');
  const ips = new Set<string>();
  if (typeof status.podIP === 'string' && status.podIP) ips.add(status.podIP);
  for (const entry of optionalList(status.podIPs, 'status.podIPs')) {
    const ip = optionalRecord(entry, 'status.podIPs').ip;
    if (typeof ip === 'string' && ip) ips.add(ip);
  }
  return {
    namespace: namespaceOf(meta),
    name: requiredName(meta),
    labels: labelMap(meta.labels, 'metadata.labels'),
    ...readPodSpec(optionalRecord(body.spec, 'spec'), 'spec'),
    ips: [...ips],
    owner: controllerOwner(meta),
    finished: status.phase === 'Succeeded' || status.phase === 'Failed',
    source,
  };
}
