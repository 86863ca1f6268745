import type { Service } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import {
  FieldError,
  labelMap,
  namespaceOf,
  optionalList,
  optionalRecord,
  Problems,
  requiredName,
  type Obj,
} from './field-error.js';
import { parsePortNumber, parsePortOrName, parseProtocol } from './protocol.js';

/**
 * A Service, every problem of it reported (thrown together). Its ports as the API server's
 * ValidateService checks them: named when there are several, names unique, and no port and
 * protocol given twice.
 */
export function readService(body: Obj, source: SourceRef): Service {
  const problems = new Problems();
  const meta = problems.read({}, () => optionalRecord(body.metadata, 'metadata'));
  const spec = problems.read({}, () => optionalRecord(body.spec, 'spec'));
  const namespace = problems.read('', () => namespaceOf(meta));
  const name = problems.read('', () => requiredName(meta));
  const list = problems.read([], () => optionalList(spec.ports, 'spec.ports'));
  // A Service has a few ports: lists, not Sets (there are tens of thousands of Services).
  const names: string[] = [];
  const numbers: string[] = [];
  const ports = problems.each(list, (p, i) => {
    const at = `spec.ports[${i}]`;
    const entry = optionalRecord(p, at);
    const parts = new Problems();
    const portName = typeof entry.name === 'string' && entry.name !== '' ? entry.name : undefined;
    if (portName === undefined && list.length > 1) {
      parts.add(new FieldError(`${at}.name`, 'is required when a Service has more than one port'));
    } else if (portName !== undefined && names.includes(portName)) {
      parts.add(new FieldError(`${at}.name`, `duplicate port name ${JSON.stringify(portName)}`));
    }
    if (portName !== undefined) names.push(portName);
    const port = parts.read(0, () => parsePortNumber(entry.port, `${at}.port`));
    const protocol = parts.read('TCP', () => parseProtocol(entry.protocol, `${at}.protocol`));
    // targetPort defaults to port.
    const targetPort =
      entry.targetPort == null ? port : parts.read(0, () => parsePortOrName(entry.targetPort, `${at}.targetPort`));
    const key = `${protocol}/${port}`;
    if (port !== 0 && numbers.includes(key)) parts.add(new FieldError(at, `duplicate port ${port}/${protocol}`));
    numbers.push(key);
    return parts.done({ name: portName, protocol, port, targetPort });
  });
  const selector =
    spec.selector == null ? undefined : problems.read(undefined, () => labelMap(spec.selector, 'spec.selector'));
  return problems.done({ namespace, name, selector, ports, source });
}
