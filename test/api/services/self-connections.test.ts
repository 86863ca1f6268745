import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { replayedHistory } from '../../support/replayed-history.js';
import { NOW, READER } from '../demo-history.js';

/**
 * A workload's pods that policies tell apart reach each other like any two workloads' pods:
 * who-can-reach and what-can-reach list the workload as its own source and destination, the
 * history records its changes, and explain agrees.
 */
const DIR = fileURLToPath(new URL('../../fixtures/self-connections-history', import.meta.url));
const DB = 'data/db[StatefulSet]';
const CACHE = 'data/cache[StatefulSet]';
const API = 'data/api[Deployment]';
const TCP_5432 = [{ protocol: 'TCP', ports: [[5432, 5432]] }];

const history = replayedHistory('self-connections', DIR, NOW);

const cluster = 'self-connections';

describe('a StatefulSet whose leader receives from its followers only', () => {
  test('who-can-reach and what-can-reach list it with itself, on the leader port', async () => {
    const who = await history.service.whoCanReach(READER, { cluster, target: DB });
    expect(who.entries.items.filter((e) => e.src === DB).map((e) => [e.dst, e.allowed])).toEqual([[DB, TCP_5432]]);
    const what = await history.service.whatCanReach(READER, { cluster, source: DB });
    expect(what.entries.items.filter((e) => e.dst === DB).map((e) => [e.src, e.allowed])).toEqual([[DB, TCP_5432]]);
  });

  test('a workload whose pods are closed to each other, or all alike, is not its own source', async () => {
    const cache = await history.service.whoCanReach(READER, { cluster, target: CACHE });
    expect(cache.entries.items.map((e) => e.src)).not.toContain(CACHE);
    const api = await history.service.whatCanReach(READER, { cluster, source: API });
    expect(api.entries.items.map((e) => e.dst)).not.toContain(API);
  });

  test('its narrowing since the policies arrived is a net change and an event', async () => {
    const who = await history.service.whoCanReach(READER, { cluster, target: DB, since: '2d' });
    const net = who.netChanges!.filter((c) => c.src === DB);
    expect(net.map((c) => [c.change, c.after])).toEqual([['narrowed', TCP_5432]]);
    expect(who.changes!.filter((c) => c.src === DB && c.dst === DB).map((c) => c.change)).toEqual(['narrowed']);
  });

  test('explain agrees with the answers', async () => {
    const e = await history.service.explain(READER, { cluster, src: DB, dst: DB });
    expect(e.verdict).toBe('allowed');
    expect(e.allowed).toEqual(TCP_5432);
    const alike = await history.service.explain(READER, { cluster, src: API, dst: API });
    expect(alike.verdict).toBe('denied');
    expect(alike.text).toContain('one variant');
  });
});
