import type { Reachability } from '../reach/reachability.js';
import { formatCsv } from './csv.js';
import { formatDot } from './dot.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './md.js';
import { formatMermaid } from './mermaid.js';
import type { FormatOptions } from './options.js';
import { formatTxt } from './txt.js';

export type { FormatOptions } from './options.js';
export { CHUNK_SIZE } from './chunks.js';
export { MATRIX_MAX_PEERS } from './md.js';

export const FORMATS = ['txt', 'json', 'csv', 'md', 'dot', 'mermaid'] as const;
export type Format = (typeof FORMATS)[number];

/** The usual file extension of each format (golden files are `expected.<extension>`). */
export const FORMAT_EXTENSIONS: Readonly<Record<Format, string>> = {
  txt: 'txt',
  json: 'json',
  csv: 'csv',
  md: 'md',
  dot: 'dot',
  mermaid: 'mmd',
};

export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

const FORMATTERS: Readonly<Record<Format, (reach: Reachability, options: FormatOptions) => Iterable<string>>> = {
  txt: formatTxt,
  json: formatJson,
  csv: formatCsv,
  md: formatMarkdown,
  dot: formatDot,
  mermaid: formatMermaid,
};

/** The reachability in one format, as chunks of about 64 KB to write as they come. */
export function formatReachability(reach: Reachability, format: Format, options: FormatOptions = {}): Iterable<string> {
  return FORMATTERS[format](reach, options);
}
