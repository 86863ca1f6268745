import { describe, expect, test } from 'vitest';
import { CHUNK_SIZE, chunkLines } from '../../../engine/format/chunks.js';
import { FORMATS, formatReachability } from '../../../engine/format/index.js';
import { analyze, type Connection, type Reachability } from '../../../engine/index.js';
import { openCluster } from './objects.js';

/** Counts how many connections the formatter has pulled from the engine so far. */
function counting(reach: Reachability): { reach: Reachability; pulled: () => number } {
  let pulled = 0;
  const original = reach.connections.bind(reach);
  reach.connections = function* (): Generator<Connection> {
    for (const c of original()) {
      pulled++;
      yield c;
    }
  };
  return { reach, pulled: () => pulled };
}

describe('streaming', () => {
  test('chunkLines batches lines into chunks of about the given size', () => {
    const chunks = [...chunkLines(['aaaa', 'bbbb', 'cccc', 'dd'], 10)];
    expect(chunks).toEqual(['aaaa\nbbbb\n', 'cccc\ndd\n']);
    expect([...chunkLines([])]).toEqual([]);
  });

  // 300 workloads and no policy: ~90k connections, megabytes of output.
  const size = 300;
  const total = (size + 1) * size; // ordered pairs of distinct peers, the outside group included

  test.each([...FORMATS])('%s yields many bounded chunks, the first before the engine is done', (format) => {
    const { reach, pulled } = counting(analyze(openCluster(size)));
    const it = formatReachability(reach, format)[Symbol.iterator]();
    const first = it.next();
    expect(first.done).toBe(false);
    expect(pulled()).toBeLessThan(total / 2);

    let chunks = 1;
    let longest = first.value.length;
    let bytes = first.value.length;
    for (let r = it.next(); !r.done; r = it.next()) {
      chunks++;
      longest = Math.max(longest, r.value.length);
      bytes += r.value.length;
    }
    expect(pulled()).toBe(total);
    expect(chunks).toBeGreaterThan(10);
    expect(longest).toBeLessThan(CHUNK_SIZE + 4096);
    expect(bytes).toBeGreaterThan(10 * CHUNK_SIZE);
  });
});
