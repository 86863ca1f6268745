import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { createPool } from '../../../store/db/pool.js';

describe('createPool', () => {
  test("an idle client's error is logged once per outage, password redacted, and does not throw", async () => {
    const lines: string[] = [];
    const pool = createPool('postgresql://reachlog:hunter2@127.0.0.1:5432/reachlog', (line) => lines.push(line));
    const lost = new Error('connection to postgresql://reachlog:hunter2@db:5432/reachlog terminated unexpectedly');
    // What pg-pool does when an idle client fails: without a listener, an uncaught 'error' event.
    expect(() => {
      pool.emit('error', lost);
      pool.emit('error', lost);
    }).not.toThrow();
    // Every client of the pool loses its connection at once in a restart: one line, not ten.
    pool.emit('error', new Error('the database system is shutting down'));
    expect(lines).toEqual([
      'postgres: connection lost: connection to postgresql://[redacted]@db:5432/reachlog terminated unexpectedly',
    ]);
    await pool.end();
  });

  test('a checked-out client that loses its connection does not throw; the next outage after a reconnect is logged again', async () => {
    const lines: string[] = [];
    const pool = createPool('postgresql://reachlog@127.0.0.1:5432/reachlog', (line) => lines.push(line));
    // What pg-pool emits for each new client; a held client has no pool listener of its own.
    const client = new EventEmitter();
    pool.emit('connect', client);
    expect(() => client.emit('error', new Error('terminating connection due to administrator command'))).not.toThrow();
    const again = new EventEmitter();
    pool.emit('connect', again);
    again.emit('error', new Error('Connection terminated unexpectedly'));
    expect(lines).toEqual([
      'postgres: connection lost: terminating connection due to administrator command',
      'postgres: connected again',
      'postgres: connection lost: Connection terminated unexpectedly',
    ]);
    await pool.end();
  });
});
