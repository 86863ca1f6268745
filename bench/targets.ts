import type { Measurement } from './measurement.js';

export interface Target {
  text: string;
  met(m: Measurement): boolean;
}

const GiB = 2 ** 30;
const under = (ms: number, text: string): Target => ({ text, met: (m) => m.ms !== undefined && m.ms < ms });

/** Startup rows: the CLI's median wall time minus `node -e 0`'s, measured in the same run. */
const within = (ms: number, text: string): Target => ({
  text,
  met: (m) => m.ms !== undefined && m.baselineMs !== undefined && m.ms - m.baselineMs < ms,
});

/** The engine issue's targets; a case without one is reported but passes or fails nothing. */
export const TARGETS: Readonly<Record<string, Target>> = {
  medium: under(300, 'compute < 0.3 s'),
  large: under(3000, 'compute < 3 s'),
  wide: under(3000, 'compute < 3 s'),
  'unique-labels': under(3000, 'compute < 3 s'),
  dense: under(1000, 'compute < 1 s'),
  'large-admin': under(3000, 'compute < 3 s'),
  'dense-admin': under(1000, 'compute < 1 s'),
  'one-edit': under(100, 'recompute + diff < 100 ms'),
  cli: {
    text: 'wall < 8 s, RSS < 1.5 GiB',
    met: (m) => m.ms !== undefined && m.ms < 8000 && m.peakRssBytes !== undefined && m.peakRssBytes < 1.5 * GiB,
  },
  check: { text: 'no disagreement', met: () => true },
  'startup-help': within(250, 'median < node -e 0 + 0.25 s'),
  'startup-analyze': within(500, 'median < node -e 0 + 0.5 s'),
};

export type Verdict = 'PASS' | 'FAIL' | '—';

/** A row that errored fails, whatever its numbers. */
export function verdict(m: Measurement): Verdict {
  if (m.error) return 'FAIL';
  const target = TARGETS[m.name];
  return target ? (target.met(m) ? 'PASS' : 'FAIL') : '—';
}
