import type { Service } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { labelMap, namespaceOf, optionalList, optionalRecord, requiredName, type Obj } from './field-error.js';
import { parsePortNumber, parsePortOrName, parseProtocol } from './protocol.js';

export function readService(body: Obj, source: SourceRef): Service {
  const meta = optionalRecord(body.metadata, 'metadata');
  const spec = optionalRecord(body.spec, 'spec');
  const ports = optionalList(spec.ports, 'spec.ports').map((p, i) => {
    const at = `spec.ports[${i}]`;
    const entry = optionalRecord(p, at);
    const port = parsePortNumber(entry.port, `${at}.port`);
    // targetPort defaults to port.
    const targetPort = entry.targetPort == null ? port : parsePortOrName(entry.targetPort, `${at}.targetPort`);
    return {
      name: typeof entry.name === 'string' ? entry.name : undefined,
      protocol: parseProtocol(entry.protocol, `${at}.protocol`),
      port,
      targetPort,
    };
  });
  return {
    namespace: namespaceOf(meta),
    name: requiredName(meta),
    selector: spec.selector == null ? undefined : labelMap(spec.selector, 'spec.selector'),
    ports,
    source,
  };
}
