import type { Measurement } from './measurement.js';
import { TARGETS, verdict } from './targets.js';

const count = (n?: number) => (n === undefined ? '' : n.toLocaleString('en-US'));
const duration = (ms?: number) =>
  ms === undefined ? '' : ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes?: number) => (bytes === undefined ? '' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);

const COLUMNS: [string, (m: Measurement) => string][] = [
  ['Case', (m) => m.name],
  ['Pods', (m) => count(m.pods)],
  ['Namespaces', (m) => count(m.namespaces)],
  ['Policies', (m) => count(m.policies)],
  ['Classes', (m) => count(m.classes)],
  ['Time (median)', (m) => duration(m.ms) + (m.runs ? ` ×${m.runs}` : '')],
  ['p90', (m) => duration(m.p90Ms)],
  [
    'node -e 0 (median / p90)',
    (m) => (m.baselineMs === undefined ? '' : `${duration(m.baselineMs)} / ${duration(m.baselineP90Ms)}`),
  ],
  ['CPU (all threads)', (m) => duration(m.cpuMs)],
  ['of which buildCluster', (m) => duration(m.buildMs)],
  ['Steal', (m) => (m.stealPercent === undefined ? '' : `${m.stealPercent.toFixed(0)} %`)],
  ['Peak RSS', (m) => mib(m.peakRssBytes)],
  ['RSS of input', (m) => mib(m.inputRssBytes)],
  ['Connlist', (m) => (m.connlistComplete === false ? '> ' : '') + duration(m.connlistMs)],
  ['Connlist CPU', (m) => duration(m.connlistCpuMs)],
  ['Connections', (m) => (m.connlistComplete === false ? '≥ ' : '') + count(m.connections)],
  ['Target', (m) => TARGETS[m.name]?.text ?? ''],
  ['Result', (m) => verdict(m)],
];

/** The results as a markdown table, then each row's notes and errors as a list. */
export function markdownTable(rows: readonly Measurement[]): string {
  const cells = rows.map((m) => COLUMNS.map(([, cell]) => cell(m).replaceAll('|', '\\|')));
  const lines = [
    `| ${COLUMNS.map(([title]) => title).join(' | ')} |`,
    `|${COLUMNS.map(([title], i) => (i === 0 ? ':--' : title === 'Result' || title === 'Target' ? ':--' : '--:')).join('|')}|`,
    ...cells.map((row) => `| ${row.join(' | ')} |`),
  ];
  const notes = rows.flatMap((m) =>
    [...(m.error ? [`**${m.error}**`] : []), ...(m.notes ?? [])].map((n) => `- ${m.name}: ${n}`),
  );
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
