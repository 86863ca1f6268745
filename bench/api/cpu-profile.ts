import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const read = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] }).nodes;

/** The share of samples not `(idle)`, e.g. `62%`. */
export function busyShare(file: string): string {
  let idle = 0;
  let total = 0;
  for (const n of read(file)) {
    total += n.hitCount ?? 0;
    if (n.callFrame.functionName === '(idle)') idle += n.hitCount ?? 0;
  }
  return `${((100 * (total - idle)) / total).toFixed(0)}%`;
}

/** The functions with the most self time in a .cpuprofile, as markdown table rows: share of busy samples. */
export function topFunctions(file: string, count = 15): string[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const n of read(file)) {
    if (n.callFrame.functionName === '(idle)') continue;
    const hits = n.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${url.replace(/^file:\/\/.*?\/(node_modules|work\/main)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, hits]) => `| ${fn.replace(/\|/g, '\\|')} | ${((100 * hits) / total).toFixed(1)}% |`);
}
