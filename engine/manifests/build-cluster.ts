import type { AdminPolicy, Cluster, ClusterNode, Namespace, NetworkPolicy, Service } from '../model/cluster.js';
import { InputError } from '../model/input-error.js';
import { describeObject, type RawObject, type SourceRef } from '../model/source.js';
import { adminPolicyReader } from './admin-policy.js';
import { CONTROLLER_KINDS, readController, type ControllerFacts } from './controller.js';
import { ConsecutiveReads } from './consecutive-reads.js';
import { inDocumentOrder } from './document-order.js';
import { FieldError, FieldErrors, type Obj } from './field-error.js';
import { namespaceWithName, readNamespace } from './namespace.js';
import { readNetworkPolicy } from './network-policy.js';
import { readNode } from './node.js';
import { readPod, type PodFacts } from './pod.js';
import { unknownFields } from './schema/field-schema.js';
import { schemaOfKind } from './schema/kind-schemas.js';
import { readService } from './service.js';
import { groupWorkloads } from './workloads.js';

const CONTROLLERS: ReadonlySet<string> = new Set(CONTROLLER_KINDS);

export interface BuildOptions {
  /**
   * The objects were read back from an API server, which validated them already and may be
   * newer than reachlog's schemas: fields those schemas do not know are then accepted.
   */
  acceptedByApiServer?: boolean;
}

type Read =
  | { kind: 'namespace'; value: Namespace }
  | { kind: 'pod'; value: PodFacts }
  | { kind: 'controller'; value: ControllerFacts }
  | { kind: 'service'; value: Service }
  | { kind: 'policy'; value: NetworkPolicy }
  | { kind: 'node'; value: ClusterNode }
  | { kind: 'adminPolicy'; value: AdminPolicy }
  | { kind: 'skipped'; value: string };

/** Other API groups reuse the name (Calico's crd.projectcalico.org/v1 NetworkPolicy): not ours. */
function isOurNetworkPolicy(apiVersion: string): boolean {
  return apiVersion === 'networking.k8s.io/v1' || apiVersion === '';
}

function readObject(kind: string, apiVersion: string, body: Obj, source: SourceRef, shared: ConsecutiveReads): Read {
  if (kind === 'Namespace') return { kind: 'namespace', value: readNamespace(body, source) };
  if (kind === 'Pod') return { kind: 'pod', value: readPod(body, source, shared) };
  if (CONTROLLERS.has(kind)) return { kind: 'controller', value: readController(body, source) };
  if (kind === 'Service') return { kind: 'service', value: readService(body, source) };
  if (kind === 'NetworkPolicy' && isOurNetworkPolicy(apiVersion)) {
    return { kind: 'policy', value: readNetworkPolicy(body, source) };
  }
  if (kind === 'Node' && (apiVersion === 'v1' || apiVersion === ''))
    return { kind: 'node', value: readNode(body, source) };
  const readAdmin = adminPolicyReader(kind, apiVersion);
  if (readAdmin) return { kind: 'adminPolicy', value: readAdmin(body, source) };
  return { kind: 'skipped', value: apiVersion && kind === 'NetworkPolicy' ? `${kind} (${apiVersion})` : kind };
}

/**
 * Normalizes raw objects into the engine's model. An invalid object is left out and
 * recorded in `errors` with its file, document, object and field; the rest goes on. Fields
 * the kind's schema does not know make an object invalid, as the API server's strict field
 * validation would; each of an object's problems is reported, in document order.
 */
export function buildCluster(objects: Iterable<RawObject>, options: BuildOptions = {}): Cluster {
  const namespaces = new Map<string, Namespace>();
  const pods: PodFacts[] = [];
  const controllers: ControllerFacts[] = [];
  const services: Service[] = [];
  const policies: NetworkPolicy[] = [];
  const adminPolicies: AdminPolicy[] = [];
  const nodes: ClusterNode[] = [];
  const errors: InputError[] = [];
  const skippedKinds = new Map<string, number>();
  const shared = new ConsecutiveReads();

  // An index loop: iterating a list of 200k objects through the iterator protocol allocated a result per object.
  const list = Array.isArray(objects) ? (objects as readonly RawObject[]) : [...objects];
  for (let i = 0; i < list.length; i++) {
    const { source, body, problems: textProblems } = list[i]!;
    const kind = body.kind;
    if (typeof kind !== 'string' || kind === '') {
      for (const p of textProblems ?? []) errors.push(new InputError(source, describeObject(body), p.field, p.reason));
      errors.push(new InputError(source, describeObject(body), 'kind', 'is required'));
      continue;
    }
    const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
    const problems: FieldError[] = textProblems?.map((p) => new FieldError(p.field, p.reason)) ?? [];
    let read: Read | undefined;
    try {
      read = readObject(kind, apiVersion, body, source, shared);
    } catch (e) {
      if (e instanceof FieldErrors) problems.push(...e.problems);
      else if (e instanceof FieldError) problems.push(e);
      else throw e;
    }
    const schema = options.acceptedByApiServer || read?.kind === 'skipped' ? undefined : schemaOfKind(kind);
    if (schema) unknownFields(body, schema, problems);
    if (problems.length > 0) {
      const object = describeObject(body);
      for (const p of inDocumentOrder(body, problems)) errors.push(new InputError(source, object, p.field, p.message));
      continue;
    }
    const r = read!;
    switch (r.kind) {
      case 'namespace':
        namespaces.set(r.value.name, r.value);
        break;
      case 'pod':
        pods.push(r.value);
        break;
      case 'controller':
        controllers.push(r.value);
        break;
      case 'service':
        services.push(r.value);
        break;
      case 'policy':
        policies.push(r.value);
        break;
      case 'node':
        nodes.push(r.value);
        break;
      case 'adminPolicy':
        adminPolicies.push(r.value);
        break;
      case 'skipped':
        skippedKinds.set(r.value, (skippedKinds.get(r.value) ?? 0) + 1);
    }
  }

  const workloads = groupWorkloads(pods, controllers);
  // Namespaces used but not defined exist with only their name label.
  for (const ns of [...workloads, ...services, ...policies].map((o) => o.namespace)) {
    if (!namespaces.has(ns)) namespaces.set(ns, namespaceWithName(ns));
  }
  return { namespaces, workloads, services, policies, adminPolicies, nodes, errors, skippedKinds };
}
