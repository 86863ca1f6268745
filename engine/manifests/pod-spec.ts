import type { NamedPort } from '../model/cluster.js';
import type { Protocol } from '../sets/connection-set.js';
import { FieldError, isRecord, NO_FIELDS, NO_ITEMS, optionalList, Problems, type Obj } from './field-error.js';
import {
  isPortName,
  isPortNumber,
  isProtocol,
  portNameProblem,
  portNumberProblem,
  protocolProblem,
} from './protocol.js';

export interface PodSpecFacts {
  namedPorts: NamedPort[];
  hostNetwork: boolean;
}

/** What stands for a spec read wrong (its object is then refused): shared, not one per read. */
export const NO_POD_SPEC: PodSpecFacts = Object.freeze({ namedPorts: [], hostNetwork: false });

/**
 * What NetworkPolicy can see of a PodSpec: its named container ports (a policy's named port
 * resolves against these, per destination pod) and whether it shares the node's network.
 * Every problem of the ports is reported, as the API server's validateContainerPorts does,
 * a port name given twice in one container included.
 */
export function readPodSpec(spec: Obj, field: string): PodSpecFacts {
  const problems = new Problems();
  const namedPorts: NamedPort[] = [];
  const containers = Array.isArray(spec.containers)
    ? spec.containers
    : problems.read(NO_ITEMS, optionalList, spec.containers, `${field}.containers`);
  for (let i = 0; i < containers.length; i++) {
    const c: unknown = containers[i];
    if (!isRecord(c)) {
      problems.add(new FieldError(containerPath(field, i), 'must be a mapping'));
      continue;
    }
    const ports = Array.isArray(c.ports)
      ? c.ports
      : problems.read(NO_ITEMS, optionalList, c.ports, `${containerPath(field, i)}.ports`);
    // Port names are unique within a container: this container's start among `namedPorts`.
    const first = namedPorts.length;
    for (let j = 0; j < ports.length; j++) {
      const p: unknown = ports[j];
      if (p !== undefined && p !== null && !isRecord(p)) {
        problems.add(new FieldError(portPath(field, i, j), 'must be a mapping'));
        continue;
      }
      // Paths are built only for a problem (and nothing here is a closure): every pod has ports.
      const port: Obj = p ?? NO_FIELDS;
      let number = 0;
      if (isPortNumber(port.containerPort)) number = port.containerPort;
      else problems.add(portNumberProblem(port.containerPort, `${portPath(field, i, j)}.containerPort`));
      let protocol: Protocol = 'TCP';
      if (isProtocol(port.protocol)) protocol = port.protocol;
      else if (port.protocol != null) problems.add(protocolProblem(port.protocol, `${portPath(field, i, j)}.protocol`));
      const name = port.name;
      if (typeof name !== 'string' || name === '') continue;
      if (!isPortName(name)) {
        problems.add(portNameProblem(name, `${portPath(field, i, j)}.name`));
        continue;
      }
      if (hasName(namedPorts, first, name)) {
        problems.add(new FieldError(`${portPath(field, i, j)}.name`, `duplicate port name ${JSON.stringify(name)}`));
        continue;
      }
      namedPorts.push({ name, protocol, port: number });
    }
  }
  return problems.done({ namedPorts, hostNetwork: spec.hostNetwork === true });
}

function containerPath(field: string, i: number): string {
  return `${field}.containers[${i}]`;
}

function portPath(field: string, i: number, j: number): string {
  return `${containerPath(field, i)}.ports[${j}]`;
}

function hasName(ports: readonly NamedPort[], from: number, name: string): boolean {
  for (let k = from; k < ports.length; k++) if (ports[k]!.name === name) return true;
  return false;
}
