import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Protocol, Reachability } from '../../engine/index.js';

/** One probe of a conformance case: rows are sources, columns destinations; `.` allowed, `X` denied, `-` self. */
export interface Probe {
  port: number;
  protocol: Protocol;
  columns: string;
  rows: string[];
}

/** `x/a` in the tables is the bare Pod a in namespace x. */
const workloadId = (cell: string) => `${cell}[Pod]`;

/** Every cell of every probe the engine answers differently, as readable lines. */
export function wrongCells(reach: Reachability, name: string, probes: readonly Probe[]): string[] {
  const wrong = reach.cluster.errors.map((e) => `engine rejected the input: ${e.message}`);
  for (const probe of probes) {
    const columns = probe.columns.trim().split(/\s+/);
    for (const row of probe.rows) {
      const [src, ...cells] = row.trim().split(/\s+/);
      if (src === undefined || cells.length !== columns.length) throw new Error(`malformed row "${row}" in ${name}`);
      cells.forEach((cell, i) => {
        if (cell === '-') return; // self: not judged
        const dst = columns[i]!;
        const expected = cell === '.';
        const got = reach.allowed(workloadId(src), workloadId(dst)).allows(probe.protocol, probe.port);
        if (got !== expected) {
          const say = (allowed: boolean) => (allowed ? 'allowed' : 'denied');
          wrong.push(`${src} -> ${dst} on ${probe.port}/${probe.protocol}: expected ${say(expected)}, got ${say(got)}`);
        }
      });
    }
  }
  return wrong;
}

/** A folder of truth tables: `model.yaml` (the objects every case shares) and one `<case>.yaml` each. */
export function readTruthTables<Case>(dir: string): { model: Record<string, unknown>[]; cases: [string, Case][] } {
  const model = parseAllDocuments(readFileSync(join(dir, 'model.yaml'), 'utf8'))
    .map((doc) => doc.toJS() as Record<string, unknown> | null)
    .filter((body): body is Record<string, unknown> => body !== null);
  const cases = readdirSync(dir)
    .filter((file) => file.endsWith('.yaml') && file !== 'model.yaml')
    .sort()
    .map((file): [string, Case] => [file.replace(/\.yaml$/, ''), parse(readFileSync(join(dir, file), 'utf8')) as Case]);
  return { model, cases };
}
