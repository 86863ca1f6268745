import { ConnectionSet, type LabelSelector } from '../../engine/index.js';
import { ArgumentError } from '../../arguments/argument-error.js';
import { parseSelectorArgument } from '../../arguments/selector.js';
import { ServiceError, type TargetRef } from './query-service.js';
import { someVariant, type SnapshotObjects, type StoredWorkload } from '../../store/history/objects.js';

export interface ResolvedTarget {
  /** Workload ids, sorted. */
  workloads: string[];
  /** For a Service: its target ports on those workloads (named targetPorts resolved per workload). */
  ports?: ConnectionSet;
}

const WORKLOAD_ID = /^[^/\s[\]]+\/[^/\s[\]]+\[[A-Za-z]+\]$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Workloads of a namespace with some pod variant the selector matches. */
export function selectWorkloads(
  objects: SnapshotObjects,
  namespace: string,
  selector: LabelSelector,
): StoredWorkload[] {
  return objects.workloads.filter((w) => w.namespace === namespace && someVariant(w, (l) => selector.matches(l)));
}

function resolveService(ref: string, objects: SnapshotObjects, at: string, parameter: string): ResolvedTarget {
  const key = ref.slice('svc:'.length);
  if (!/^[^/\s]+\/[^/\s]+$/.test(key)) {
    throw new ArgumentError(parameter, ref, 'expected svc:<namespace>/<name>');
  }
  const service = objects.services.get(key);
  if (!service) throw new ServiceError('NOT_FOUND', `Service ${key} does not exist at ${at}`);
  if (!service.selector) {
    throw new ServiceError(
      'BAD_USER_INPUT',
      `Service ${key} has no selector (its endpoints are managed by hand): name its workloads instead`,
    );
  }
  // A Service selects pods by equality on every label of its selector.
  const selector = Object.entries(service.selector);
  const workloads = objects.workloads.filter(
    (w) => w.namespace === service.namespace && someVariant(w, (l) => selector.every(([k, v]) => l[k] === v)),
  );
  let ports = ConnectionSet.none;
  for (const p of service.ports) {
    if (typeof p.targetPort === 'number') {
      ports = ports.union(ConnectionSet.ports(p.protocol, p.targetPort));
      continue;
    }
    // A named targetPort resolves against each selected pod's container ports (name and protocol).
    for (const w of workloads)
      for (const v of w.variants)
        for (const np of v.namedPorts)
          if (np.name === p.targetPort && np.protocol === p.protocol)
            ports = ports.union(ConnectionSet.ports(np.protocol, np.port));
  }
  if (workloads.length === 0) throw nothingSelected(`Service ${key} selects no workload`, at);
  return { workloads: workloads.map((w) => w.id), ports };
}

/**
 * A target that names no workload answers nothing, not "nothing can reach it": an empty answer
 * would look like safety where the question was wrong (a typo in a label, a deleted workload).
 */
export function nothingSelected(what: string, at: string): ServiceError {
  return new ServiceError('NOT_FOUND', `${what} at ${at}: there is nothing to answer about (check the labels)`);
}

function resolveSelector(ref: string, objects: SnapshotObjects, at: string, parameter: string): ResolvedTarget {
  const colon = ref.indexOf(':');
  const namespace = colon === -1 ? '' : ref.slice('ns='.length, colon);
  if (colon === -1 || !NAMESPACE.test(namespace)) {
    throw new ArgumentError(parameter, ref, 'expected ns=<namespace>:<selector>, e.g. ns=db:app=postgres,tier in (db)');
  }
  const selector = parseSelectorArgument(ref, parameter, Array.from(ref.slice(0, colon + 1)).length);
  const workloads = selectWorkloads(objects, namespace, selector);
  if (workloads.length === 0) throw nothingSelected(`${ref} matches no workload`, at);
  return { workloads: workloads.map((w) => w.id) };
}

/**
 * What a target names at one snapshot: a workload id (`db/postgres[StatefulSet]`), the
 * workloads a selector matches in a namespace (`ns=db:app=postgres,tier in (db)`, matched
 * against each pod variant's labels), or a Service's workloads and target ports (`svc:db/postgres`).
 */
export function resolveTarget(
  ref: TargetRef,
  objects: SnapshotObjects,
  at: string,
  parameter = 'target',
): ResolvedTarget {
  const text = ref.trim();
  if (text.startsWith('svc:')) return resolveService(text, objects, at, parameter);
  if (text.startsWith('ns=')) return resolveSelector(text, objects, at, parameter);
  if (WORKLOAD_ID.test(text)) {
    if (!objects.workloadById.has(text))
      throw new ServiceError('NOT_FOUND', `workload ${text} does not exist at ${at}`);
    return { workloads: [text] };
  }
  throw new ArgumentError(
    parameter,
    ref,
    'expected a workload id (db/postgres[StatefulSet]), ns=<namespace>:<selector> or svc:<namespace>/<name>',
  );
}
