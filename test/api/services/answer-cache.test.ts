import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createQueryService,
  PgQueryService,
  type QueryServiceOptions,
} from '../../../api/services/postgres-query-service.js';
import { readManifests } from '../../../input/manifest-files.js';
import { storeSnapshot } from '../../../worker/snapshot/store-snapshot.js';
import { DEMO_DIR, NOW, POSTGRES, READER, REPORTS, seedDemoHistory, type DemoHistory } from '../demo-history.js';

let h: DemoHistory;
beforeAll(async () => {
  h = await seedDemoHistory();
});
afterAll(async () => {
  await h?.close();
});

/** A query service over the demo history whose queries to Postgres are counted. */
function countedService(options: QueryServiceOptions) {
  const counter = { queries: 0 };
  const pool = new Proxy(h.pool, {
    get(target, key) {
      if (key === 'query') {
        return (...args: Parameters<pg.Pool['query']>) => {
          counter.queries++;
          return (target.query as (...a: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, key) as unknown;
    },
  });
  return { service: createQueryService(pool, { now: () => NOW, ...options }) as PgQueryService, counter };
}

describe('answers are kept: stored history does not change', () => {
  test('the same questions again: the same answers; Postgres is asked only which snapshot a past time is', async () => {
    const { service, counter } = countedService({ freshForMs: 60_000 });
    const ask = () =>
      Promise.all([
        service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, since: '7d' }),
        service.whatCanReach(READER, { cluster: 'demo', source: REPORTS, port: '5432' }),
        service.explain(READER, { cluster: 'demo', src: REPORTS, dst: POSTGRES, port: '5432' }),
        service.exposure(READER, { cluster: 'demo' }),
        service.diff(READER, { cluster: 'demo', from: '10d' }),
        service.matrix(READER, { cluster: 'demo', namespace: 'db' }),
      ]);
    const first = await ask();
    const queriesForFirst = counter.queries;
    expect(queriesForFirst).toBeGreaterThan(0);
    const second = await ask();
    // `since: '7d'` and `from: '10d'` are resolved again (a time to the snapshot at or before it); nothing else.
    expect(counter.queries - queriesForFirst).toBe(2);
    second.forEach((answer, i) => expect(answer).toBe(first[i]));
  });

  test('without the answer cache every question is computed again (what the test above rules out)', async () => {
    const { service, counter } = countedService({ freshForMs: 60_000, answerCacheBytes: 0 });
    const ask = () => service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, since: '7d' });
    const first = await ask();
    const queriesForFirst = counter.queries;
    const second = await ask();
    expect(counter.queries).toBeGreaterThan(queriesForFirst);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });

  test("warmFirstPages answers the dashboard's first page ahead: asked afterwards, only `7d` is resolved", async () => {
    const firstPage = (service: PgQueryService) =>
      Promise.all([
        service.exposure(READER, { cluster: 'demo' }),
        service.exposure(READER, { cluster: 'demo', at: '7d' }),
        service.diff(READER, { cluster: 'demo', from: '7d', page: { limit: 1000 } }),
      ]);
    const { service: cold, counter: coldCounter } = countedService({ freshForMs: 60_000 });
    const asked = await firstPage(cold);
    const queriesCold = coldCounter.queries;

    const { service, counter } = countedService({ freshForMs: 60_000 });
    await service.warmFirstPages();
    const before = counter.queries;
    const warmed = await firstPage(service);
    expect(counter.queries - before).toBe(2);
    expect(queriesCold).toBeGreaterThan(2);
    expect(warmed).toEqual(asked);
  });

  test('the same question asked twice at once is computed once', async () => {
    const { service, counter } = countedService({ freshForMs: 60_000 });
    const ask = () => service.whatCanReach(READER, { cluster: 'demo', source: POSTGRES, since: '14d' });
    const before = counter.queries;
    const [one, two] = await Promise.all([ask(), ask()]);
    expect(two).toBe(one);
    const [again] = await Promise.all([ask()]);
    expect(again).toBe(one);
    const queriesForBoth = counter.queries - before;
    const { service: alone, counter: aloneCounter } = countedService({ freshForMs: 60_000 });
    const aloneBefore = aloneCounter.queries;
    await alone.whatCanReach(READER, { cluster: 'demo', source: POSTGRES, since: '14d' });
    // Two concurrent askers and a third later: the queries of one computation, plus resolving `14d` per ask.
    expect(queriesForBoth).toBe(aloneCounter.queries - aloneBefore + 2);
  });

  test('a question changes its answer when the time it names resolves to a new snapshot', async () => {
    const { service } = countedService({ freshForMs: 0 });
    const before = await service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, port: '5432' });
    expect(before.snapshot.id).toBe(h.snapshots[4]);
    expect(before.entries.items.map((e) => e.src)).toContain(REPORTS);

    // An hour ago the cluster went back to its baseline: the database closed to analytics again.
    const { objects } = readManifests([join(DEMO_DIR, '1-baseline')]);
    const stored = await storeSnapshot(h.pool, h.clusterId, objects, { takenAt: new Date(NOW.getTime() - 3_600_000) });

    const after = await service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, port: '5432' });
    expect(after.snapshot.id).toBe(stored.snapshotId);
    expect(after.entries.items.map((e) => e.src)).not.toContain(REPORTS);
    // The question asked of the earlier time still has the earlier answer.
    const then = await service.whoCanReach(READER, { cluster: 'demo', target: POSTGRES, port: '5432', at: '2h' });
    expect(then).toBe(before);
  });
});
