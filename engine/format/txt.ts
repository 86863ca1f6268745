import { mergeOutsideRows } from './outside-rows.js';
import type { Reachability } from '../reach/reachability.js';
import { chunkLines } from './chunks.js';
import { selectConnections, type FormatOptions } from './options.js';
import { PeerNames } from './peer-names.js';
import { textRows } from './text-rows.js';

/** netpol-analyzer's line format: `frontend/web[Deployment] => backend/api[Deployment] : TCP 8080`. */
function* txtLines(reach: Reachability, options: FormatOptions): Generator<string> {
  for (const r of textRows(mergeOutsideRows(selectConnections(reach, options)), new PeerNames(reach))) {
    yield `${r.src} => ${r.dst} : ${r.allowed}`;
  }
}

export function formatTxt(reach: Reachability, options: FormatOptions = {}): Generator<string> {
  return chunkLines(txtLines(reach, options));
}
