/** About how many characters each yielded chunk holds: few writes, bounded memory. */
export const CHUNK_SIZE = 64 * 1024;

/**
 * Joins lines (each given its newline) into chunks of about `size` characters, yielding
 * each as soon as it is full: the output of a large cluster is never one string.
 */
export function* chunkLines(lines: Iterable<string>, size: number = CHUNK_SIZE): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const line of lines) {
    // A long line (a summary listing every workload) starts a chunk rather than overfilling one.
    if (length > 0 && length + line.length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
    parts.push(line, '\n');
    length += line.length + 1;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
