import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Flush in chunks of about this many characters: few syscalls, bounded memory. */
const CHUNK = 1 << 20;

/**
 * Writes objects as one `{"apiVersion":"v1","kind":"List","items":[...]}` document, as
 * `kubectl get -o json` does, one item at a time (a 150k-pod list is too big for one string).
 */
export async function writeList(items: Iterable<unknown>, path: string): Promise<number> {
  const out = createWriteStream(path);
  const failed = once(out, 'error').then(([e]) => Promise.reject(e as Error));
  failed.catch(() => {}); // surfaced by the awaits below
  let buffer = '{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[\n';
  let count = 0;
  const flush = async () => {
    if (!out.write(buffer)) await Promise.race([once(out, 'drain'), failed]);
    buffer = '';
  };
  for (const item of items) {
    buffer += (count++ === 0 ? '' : ',\n') + JSON.stringify(item);
    if (buffer.length >= CHUNK) await flush();
  }
  buffer += '\n]}\n';
  await flush();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return count;
}
