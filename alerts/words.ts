import type { RulePorts } from '../arguments/alert-rule.js';
import type { AlertItem } from './alert.js';

const range = ([a, b]: [number, number]) => (a === b ? `${a}` : `${a}-${b}`);

/** `TCP 5432`, `TCP 80,443 and UDP 53`, `every TCP port`; nothing: `no ports`. */
export function describePorts(ports: readonly RulePorts[]): string {
  if (ports.length === 0) return 'no ports';
  return ports
    .map((p) =>
      p.ports.length === 1 && p.ports[0]![0] <= 1 && p.ports[0]![1] >= 65535
        ? `every ${p.protocol} port`
        : `${p.protocol} ${p.ports.map(range).join(',')}`,
    )
    .join(' and ');
}

const onPorts = (i: AlertItem) => (i.ports.length ? ` on ${describePorts(i.ports)}` : '');

/** One change as a sentence: "db/postgres[StatefulSet] is newly reachable from 0.0.0.0/0 on TCP 5432". */
export function itemSentence(i: AlertItem): string {
  switch (i.change) {
    case 'outside':
    case 'other-namespaces':
    case 'added':
      return `${i.target} is newly reachable from ${i.peer}${onPorts(i)}`;
    case 'widened':
      return `${i.target} is reachable from ${i.peer} on more ports${i.ports.length ? `: ${describePorts(i.ports)}` : ''}`;
    case 'removed':
      return `${i.target} is no longer reachable from ${i.peer}${onPorts(i)}`;
    case 'narrowed':
      return `${i.target} is reachable from ${i.peer} on fewer ports${i.ports.length ? ` (lost ${describePorts(i.ports)})` : ''}`;
    case 'policy-deleted':
      return `${i.target} was deleted`;
  }
}
