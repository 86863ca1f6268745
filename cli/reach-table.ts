import type { PortRange, ReachAnswer, ReachChange } from '../api/services/query-service.js';

const ALL = 65_535;

/** `TCP 5432`, `TCP 80,443 UDP 53`, `TCP all`, `all ports`; `none` for nothing. */
export function describePorts(ranges: PortRange[]): string {
  if (ranges.length === 0) return 'none';
  const whole = (r: PortRange) => r.ports.length === 1 && r.ports[0]![0] === 1 && r.ports[0]![1] === ALL;
  if (ranges.length === 3 && ranges.every(whole)) return 'all ports';
  return ranges
    .map(
      (r) => `${r.protocol} ${whole(r) ? 'all' : r.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`,
    )
    .join(' ');
}

/** `2025-03-01 12:00 (5d ago)`, in UTC. */
export function describeTime(iso: string, now: Date): string {
  const at = new Date(iso);
  const minutes = Math.max(0, Math.round((now.getTime() - at.getTime()) / 60_000));
  const hours = Math.round(minutes / 60);
  const ago = minutes < 60 ? `${minutes}m ago` : hours < 24 ? `${hours}h ago` : `${Math.round(minutes / 1440)}d ago`;
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} (${ago})`;
}

function changePorts(c: ReachChange): string {
  if (c.change === 'added') return describePorts(c.after);
  if (c.change === 'removed') return describePorts(c.before);
  return `${describePorts(c.before)} -> ${describePorts(c.after)}`;
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/**
 * The who-can-reach answer for people: who can reach the target now (source, ports, since
 * when), then with `since` each source's net change and the changes step by step, with the
 * objects that caused them. The answer's warnings come first, one `warning:` line each.
 */
export function renderReachTable(answer: ReachAnswer, options: { target: string; since?: string; now: Date }): string {
  const out: string[] = [];
  const snap = answer.snapshot;
  const targets = answer.resolved.workloads.join(', ') || options.target;
  out.push(
    `Who can reach ${targets} in ${answer.cluster} (snapshot ${snap.id}, ${describeTime(snap.takenAt, options.now)}):`,
  );
  // Before the table: the answer rests on them.
  for (const w of answer.warnings ?? []) out.push(`warning: ${w}`);
  out.push('');
  const entries = answer.entries.items;
  const several = new Set(entries.map((e) => e.dst)).size > 1;
  if (entries.length === 0) out.push('  nothing can reach it');
  else {
    const header = several ? ['SOURCE', 'TARGET', 'PORTS', 'SINCE'] : ['SOURCE', 'PORTS', 'SINCE'];
    const rows = entries.map((e) => {
      const since = describeTime(e.since.takenAt, options.now);
      const base = [e.srcText, describePorts(e.allowed), since];
      return several ? [base[0]!, e.dstText, base[1]!, base[2]!] : base;
    });
    out.push(...table(header, rows).map((l) => `  ${l}`));
  }
  if (options.since !== undefined) {
    const net = answer.netChanges ?? [];
    out.push('');
    out.push(`Net changes since ${options.since} (then -> now; a source that changed back is not listed):`);
    out.push('');
    if (net.length === 0) out.push('  none');
    else {
      const rows = net.map((c) => [
        c.change,
        several ? `${c.srcText} -> ${c.dstText}` : c.srcText,
        changePorts(c),
        describeTime(c.takenAt, options.now),
        c.causes.map((o) => `${o.kind} ${o.key}${o.hash === null ? ' (deleted)' : ''}`).join(', ') || '-',
      ]);
      out.push(...table(['NET', 'SOURCE', 'PORTS', 'LAST CHANGE', 'CAUSED BY'], rows).map((l) => `  ${l}`));
    }
    const changes = answer.changes ?? [];
    out.push('');
    out.push(`Changes since ${options.since}:`);
    out.push('');
    if (changes.length === 0) out.push('  none');
    else {
      const rows = changes.map((c) => [
        c.change,
        c.srcText,
        changePorts(c),
        describeTime(c.takenAt, options.now),
        c.causes.map((o) => `${o.kind} ${o.key}${o.hash === null ? ' (deleted)' : ''}`).join(', ') || '-',
      ]);
      out.push(...table(['CHANGE', 'SOURCE', 'PORTS', 'WHEN', 'CAUSED BY'], rows).map((l) => `  ${l}`));
    }
  }
  return `${out.join('\n')}\n`;
}
