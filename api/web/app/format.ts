import { describeAddresses } from '../../../engine/index.js';
import type { PortRange } from '../../services/query-service.js';

/** `TCP 80,443 · UDP 53`, or `nothing`; every port of a protocol is `TCP any`. */
export function ports(ranges: readonly PortRange[]): string {
  if (ranges.length === 0) return 'nothing';
  return ranges
    .map((r) => {
      const all = r.ports.length === 1 && r.ports[0]![0] <= 1 && r.ports[0]![1] >= 65535;
      const text = all ? 'any' : r.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
      return `${r.protocol} ${text}`;
    })
    .join(' · ');
}

/** `2025-05-27 12:00 UTC`: snapshots are taken on a server's clock, shown in UTC. */
export function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `5 days ago`, from the browser's clock. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 0) return 'in the future';
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/** `every 5m`, `every 1h`, `every 1d`. */
export function every(seconds: number): string {
  if (seconds % 86_400 === 0) return `every ${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `every ${seconds / 3_600}h`;
  if (seconds % 60 === 0) return `every ${seconds / 60}m`;
  return `every ${seconds}s`;
}

export const isOutside = (peer: string) => peer.startsWith('ip:');

/**
 * An outside group's id (`ip:0.0.0.0/5,8.0.0.0/7,…`) as the CLI prints it (`0.0.0.0/0 except
 * 10.0.0.0/8`); workload ids as they are.
 */
export function peerName(peer: string): string {
  return describeAddresses(peer);
}

/** The namespace of a workload id (`db/postgres[StatefulSet]` → `db`). */
export const namespaceOf = (workload: string) => (isOutside(workload) ? '' : workload.slice(0, workload.indexOf('/')));
