import type { ConnectionChange } from './connection-change.js';

export const DIFF_FORMATS = ['txt', 'json', 'md'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

function detail(c: ConnectionChange): string {
  switch (c.change) {
    case 'added':
      return `${c.after}`;
    case 'removed':
      return `${c.before}`;
    case 'widened':
      return `${c.before} -> ${c.after} (gained ${c.gained})`;
    case 'narrowed':
      return `${c.before} -> ${c.after} (lost ${c.lost})`;
    case 'changed':
      return `${c.before} -> ${c.after} (gained ${c.gained}; lost ${c.lost})`;
  }
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Diff output, streamed one line at a time. */
export function* renderDiff(changes: Iterable<ConnectionChange>, format: DiffFormat): Generator<string> {
  if (format === 'json') {
    yield '{"changes": [';
    let first = true;
    for (const c of changes) {
      const entry = {
        src: c.src,
        dst: c.dst,
        change: c.change,
        before: c.before.toRanges(),
        after: c.after.toRanges(),
        gained: c.gained.toRanges(),
        lost: c.lost.toRanges(),
      };
      yield `${first ? '\n' : ',\n'}${JSON.stringify(entry)}`;
      first = false;
    }
    yield '\n]}\n';
    return;
  }
  if (format === 'md') {
    yield '| change | source | destination | connections |\n|---|---|---|---|\n';
    for (const c of changes) yield `| ${c.change} | ${mdCell(c.src)} | ${mdCell(c.dst)} | ${mdCell(detail(c))} |\n`;
    return;
  }
  for (const c of changes) yield `${c.change}: ${c.src} => ${c.dst} : ${detail(c)}\n`;
}
