import type { AdminPolicy, Cluster, ClusterNode, Namespace, NetworkPolicy, Service } from '../model/cluster.js';
import { InputError } from '../model/input-error.js';
import { describeObject, type RawObject } from '../model/source.js';
import { adminPolicyReader } from './admin-policy.js';
import { CONTROLLER_KINDS, readController, type ControllerFacts } from './controller.js';
import { FieldError } from './field-error.js';
import { namespaceWithName, readNamespace } from './namespace.js';
import { readNetworkPolicy } from './network-policy.js';
import { readNode } from './node.js';
import { readPod, type PodFacts } from './pod.js';
import { readService } from './service.js';
import { groupWorkloads } from './workloads.js';

const CONTROLLERS: ReadonlySet<string> = new Set(CONTROLLER_KINDS);

/**
 * Normalizes raw objects into the engine's model. An invalid object is left out and
 * recorded in `errors` with its file, document, object and field; the rest goes on.
 */
export function buildCluster(objects: Iterable<RawObject>): Cluster {
  const namespaces = new Map<string, Namespace>();
  const pods: PodFacts[] = [];
  const controllers: ControllerFacts[] = [];
  const services: Service[] = [];
  const policies: NetworkPolicy[] = [];
  const adminPolicies: AdminPolicy[] = [];
  const nodes: ClusterNode[] = [];
  const errors: InputError[] = [];
  const skippedKinds = new Map<string, number>();
  const skip = (kind: string) => skippedKinds.set(kind, (skippedKinds.get(kind) ?? 0) + 1);

  for (const { source, body } of objects) {
    const kind = body.kind;
    try {
      if (typeof kind !== 'string' || kind === '') throw new FieldError('kind', 'is required');
      const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
      const readAdmin = adminPolicyReader(kind, apiVersion);
      if (kind === 'Namespace') {
        const ns = readNamespace(body, source);
        namespaces.set(ns.name, ns);
      } else if (kind === 'Pod') pods.push(readPod(body, source));
      else if (CONTROLLERS.has(kind)) controllers.push(readController(body, source));
      else if (kind === 'Service') services.push(readService(body, source));
      // Other API groups reuse the name (Calico's crd.projectcalico.org/v1 NetworkPolicy): not ours.
      else if (kind === 'NetworkPolicy' && (apiVersion === 'networking.k8s.io/v1' || apiVersion === '')) {
        policies.push(readNetworkPolicy(body, source));
      } else if (kind === 'Node' && (apiVersion === 'v1' || apiVersion === '')) nodes.push(readNode(body, source));
      else if (readAdmin) adminPolicies.push(readAdmin(body, source));
      else skip(apiVersion && kind === 'NetworkPolicy' ? `${kind} (${apiVersion})` : kind);
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      errors.push(new InputError(source, describeObject(body), e.field, e.message));
    }
  }

  const workloads = groupWorkloads(pods, controllers);
  // Namespaces used but not defined exist with only their name label.
  for (const ns of [...workloads, ...services, ...policies].map((o) => o.namespace)) {
    if (!namespaces.has(ns)) namespaces.set(ns, namespaceWithName(ns));
  }
  return { namespaces, workloads, services, policies, adminPolicies, nodes, errors, skippedKinds };
}
