import type { NamedPort } from '../model/cluster.js';
import { FieldError, isRecord, optionalList, optionalRecord, Problems, type Obj } from './field-error.js';
import { parsePortName, parsePortNumber, parseProtocol } from './protocol.js';

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
  const containers = problems.read([], () => optionalList(spec.containers, `${field}.containers`));
  containers.forEach((c, i) => {
    const at = `${field}.containers[${i}]`;
    if (!isRecord(c)) return problems.add(new FieldError(at, 'must be a mapping'));
    const names = new Set<string>();
    const ports = problems.read([], () => optionalList(c.ports, `${at}.ports`));
    ports.forEach((p, j) => {
      const pat = `${at}.ports[${j}]`;
      const port = problems.read(undefined, () => optionalRecord(p, pat));
      if (!port) return;
      const number = problems.read(0, () => parsePortNumber(port.containerPort, `${pat}.containerPort`));
      const protocol = problems.read('TCP', () => parseProtocol(port.protocol, `${pat}.protocol`));
      if (typeof port.name !== 'string' || port.name === '') return;
      const name = problems.read(undefined, () => parsePortName(port.name as string, `${pat}.name`));
      if (name === undefined) return;
      if (names.has(name))
        return problems.add(new FieldError(`${pat}.name`, `duplicate port name ${JSON.stringify(name)}`));
      names.add(name);
      namedPorts.push({ name, protocol, port: number });
    });
  });
  return problems.done({ namedPorts, hostNetwork: spec.hostNetwork === true });
}
