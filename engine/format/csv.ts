import { mergeOutsideRows } from './outside-rows.js';
import type { Reachability } from '../reach/reachability.js';
import { chunkLines } from './chunks.js';
import { selectConnections, type FormatOptions } from './options.js';
import { PeerNames } from './peer-names.js';
import { textRows } from './text-rows.js';

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function* csvLines(reach: Reachability, options: FormatOptions): Generator<string> {
  yield 'src,dst,allowed';
  for (const r of textRows(mergeOutsideRows(selectConnections(reach, options)), new PeerNames(reach))) {
    yield `${csvField(r.src)},${csvField(r.dst)},${csvField(r.allowed)}`;
  }
}

export function formatCsv(reach: Reachability, options: FormatOptions = {}): Generator<string> {
  return chunkLines(csvLines(reach, options));
}
