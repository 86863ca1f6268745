import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const CHUNK = 64 * 1024;

function* batched(chunks: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const c of chunks) {
    buffer += c;
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/** Streams chunks to stdout with backpressure; a closed pipe (`| head`) ends quietly. */
export async function writeOutput(chunks: Iterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(batched(chunks), { objectMode: false }), process.stdout, { end: false });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
  }
}
