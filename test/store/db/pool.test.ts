import { describe, expect, test } from 'vitest';
import { createPool } from '../../../store/db/pool.js';

describe('createPool', () => {
  test("an idle client's error is logged once per distinct message, password redacted, and does not throw", async () => {
    const lines: string[] = [];
    const pool = createPool('postgresql://reachlog:hunter2@127.0.0.1:5432/reachlog', (line) => lines.push(line));
    const lost = new Error('connection to postgresql://reachlog:hunter2@db:5432/reachlog terminated unexpectedly');
    // What pg-pool does when an idle client fails: without a listener, an uncaught 'error' event.
    expect(() => {
      pool.emit('error', lost);
      pool.emit('error', lost);
    }).not.toThrow();
    pool.emit('error', new Error('the database system is shutting down'));
    expect(lines).toEqual([
      'postgres: idle connection lost: connection to postgresql://[redacted]@db:5432/reachlog terminated unexpectedly',
      'postgres: idle connection lost: the database system is shutting down',
    ]);
    await pool.end();
  });
});
