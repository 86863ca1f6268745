import type { NamedPort } from '../model/cluster.js';
import { FieldError, isRecord, optionalList, optionalRecord, type Obj } from './field-error.js';
import { parsePortName, parsePortNumber, parseProtocol } from './protocol.js';

export interface PodSpecFacts {
  namedPorts: NamedPort[];
  hostNetwork: boolean;
}

/**
 * What NetworkPolicy can see of a PodSpec: its named container ports (a policy's named port
 * resolves against these, per destination pod) and whether it shares the node's network.
 */
export function readPodSpec(spec: Obj, field: string): PodSpecFacts {
  const namedPorts: NamedPort[] = [];
  optionalList(spec.containers, `${field}.containers`).forEach((c, i) => {
    const at = `${field}.containers[${i}]`;
    if (!isRecord(c)) throw new FieldError(at, 'must be a mapping');
    optionalList(c.ports, `${at}.ports`).forEach((p, j) => {
      const pat = `${at}.ports[${j}]`;
      const port = optionalRecord(p, pat);
      const number = parsePortNumber(port.containerPort, `${pat}.containerPort`);
      const protocol = parseProtocol(port.protocol, `${pat}.protocol`);
      if (typeof port.name === 'string' && port.name !== '') {
        namedPorts.push({ name: parsePortName(port.name, `${pat}.name`), protocol, port: number });
      }
    });
  });
  return { namedPorts, hostNetwork: spec.hostNetwork === true };
}
