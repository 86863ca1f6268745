import type { NamedPort } from '../model/cluster.js';
import type { Protocol } from '../sets/connection-set.js';
import { FieldError, isRecord, optionalList, Problems, type Obj } from './field-error.js';
import { isPortName, isPortNumber, isProtocol, parsePortName, parsePortNumber, parseProtocol } from './protocol.js';

export interface PodSpecFacts {
  namedPorts: NamedPort[];
  hostNetwork: boolean;
}

/**
 * What NetworkPolicy can see of a PodSpec: its named container ports (a policy's named port
 * resolves against these, per destination pod) and whether it shares the node's network.
 * Every problem of the ports is reported, as the API server's validateContainerPorts does,
 * a port name given twice in one container included.
 */
export function readPodSpec(spec: Obj, field: string): PodSpecFacts {
  const problems = new Problems();
  const namedPorts: NamedPort[] = [];
  // Paths are built only for a problem: every pod has containers and ports, few have problems.
  const containerField = (i: number) => `${field}.containers[${i}]`;
  const portField = (i: number, j: number) => `${containerField(i)}.ports[${j}]`;
  const containers = Array.isArray(spec.containers)
    ? spec.containers
    : problems.read([], () => optionalList(spec.containers, `${field}.containers`));
  for (let i = 0; i < containers.length; i++) {
    const c: unknown = containers[i];
    if (!isRecord(c)) {
      problems.add(new FieldError(containerField(i), 'must be a mapping'));
      continue;
    }
    const ports = Array.isArray(c.ports)
      ? c.ports
      : problems.read([], () => optionalList(c.ports, `${containerField(i)}.ports`));
    // Port names are unique within a container: this container's start among `namedPorts`.
    const first = namedPorts.length;
    for (let j = 0; j < ports.length; j++) {
      const p: unknown = ports[j];
      if (p !== undefined && p !== null && !isRecord(p)) {
        problems.add(new FieldError(portField(i, j), 'must be a mapping'));
        continue;
      }
      const port: Obj = p ?? {};
      const number = isPortNumber(port.containerPort)
        ? port.containerPort
        : problems.read(0, () => parsePortNumber(port.containerPort, `${portField(i, j)}.containerPort`));
      const protocol: Protocol = isProtocol(port.protocol)
        ? port.protocol
        : problems.read('TCP', () => parseProtocol(port.protocol, `${portField(i, j)}.protocol`));
      const name = port.name;
      if (typeof name !== 'string' || name === '') continue;
      if (!isPortName(name)) {
        problems.read(undefined, () => parsePortName(name, `${portField(i, j)}.name`));
        continue;
      }
      if (namedPorts.some((q, k) => k >= first && q.name === name)) {
        problems.add(new FieldError(`${portField(i, j)}.name`, `duplicate port name ${JSON.stringify(name)}`));
        continue;
      }
      namedPorts.push({ name, protocol, port: number });
    }
  }
  return problems.done({ namedPorts, hostNetwork: spec.hostNetwork === true });
}
