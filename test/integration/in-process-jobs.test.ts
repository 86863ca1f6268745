import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { SnapshotsRepository } from '../../store/snapshots.repository.js';
import { DEMO_DIR } from '../../worker/demo/demo-cluster.js';
import { InProcessSnapshotJobs } from '../../worker/queue/in-process-jobs.js';
import { snapshotProcessor } from '../../worker/queue/snapshot.processor.js';
import { createTestDatabase, DATABASE_KINDS, PGLITE_SETUP_MS, type TestDatabase } from '../support/test-database.js';

/**
 * The embedded mode's jobs: the BullMQ worker's processor run in this process. It stores what the
 * worker stores, on real Postgres and on PGlite alike (where COPY becomes batched INSERTs).
 */
describe.each(DATABASE_KINDS)('snapshot jobs run in-process, on %s', (kind) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let clusters: ClustersRepository;
  let jobs: InProcessSnapshotJobs;
  const log: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    pool = database.pool();
    clusters = new ClustersRepository(pool);
    jobs = new InProcessSnapshotJobs({
      process: snapshotProcessor({ pool, clusters, snapshots: new SnapshotsRepository(pool) }),
      exclusive: (fn) => database.exclusive(fn),
      log: (line) => log.push(line),
    });
  }, PGLITE_SETUP_MS);

  afterAll(async () => {
    await jobs?.close();
    await database?.drop();
  });

  const count = async (table: string, clusterId: number) =>
    Number(
      (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE cluster_id = $1`, [clusterId]))
        .rows[0]!.n,
    );

  test('a snapshot stores the manifests, their reach result and the exposure changes of the next one', async () => {
    const c = await clusters.add('shop', { kind: 'manifests', dir: join(DEMO_DIR, '1-baseline') }, 3600);
    await clusters.setPaused(c.id, true);
    const first = await jobs.finished((await jobs.enqueue(c.id)).jobId);
    expect(first.status).toBe('changed');
    expect(await count('object_version', c.id)).toBe(first.counts.objectVersions);
    expect(first.counts.objectVersions).toBeGreaterThan(0);

    await pool.query('UPDATE cluster SET manifests_dir = $2 WHERE id = $1', [c.id, join(DEMO_DIR, '3-db-opened')]);
    const second = await jobs.finished((await jobs.enqueue(c.id)).jobId);
    expect(second.status).toBe('changed');
    const { rows } = await pool.query<{ change: string; src: string }>(
      `SELECT change, src FROM exposure_event WHERE cluster_id = $1 AND dst = 'db/postgres[StatefulSet]'`,
      [c.id],
    );
    expect(rows).toContainEqual({ change: 'added', src: 'analytics/reports[Deployment]' });

    const third = await jobs.finished((await jobs.enqueue(c.id)).jobId);
    expect(third.status).toBe('unchanged');
    expect(log.filter((l) => l.includes(`of cluster ${c.id}:`))).toHaveLength(3);
  });

  test('job ids never repeat, not even after a restart: the rows naming one name one job', async () => {
    const c = await clusters.add('ids', { kind: 'manifests', dir: join(DEMO_DIR, '1-baseline') }, 3600);
    await clusters.setPaused(c.id, true);
    const { jobId: first } = await jobs.enqueue(c.id);
    await jobs.finished(first);
    // The process restarted: a new runner over the same store.
    const restarted = new InProcessSnapshotJobs({
      process: snapshotProcessor({ pool, clusters, snapshots: new SnapshotsRepository(pool) }),
      exclusive: (fn) => database.exclusive(fn),
      log: () => undefined,
    });
    try {
      const { jobId: second } = await restarted.enqueue(c.id);
      await restarted.finished(second);
      expect(second).not.toBe(first);
      // Each id names one row in the whole table (earlier tests' jobs included).
      const { rows } = await pool.query<{ job_id: string; n: string }>(
        'SELECT job_id, count(*) AS n FROM snapshot WHERE job_id = ANY($1) GROUP BY job_id ORDER BY min(id)',
        [[first, second]],
      );
      expect(rows.map((r) => [r.job_id, Number(r.n)])).toEqual([
        [first, 1],
        [second, 1],
      ]);
    } finally {
      await restarted.close();
    }
  });

  test('a cluster that is not registered fails at once, without retries', async () => {
    const { jobId } = await jobs.enqueue(999_999);
    await expect(jobs.finished(jobId)).rejects.toThrow(/cluster 999999 is not registered/);
    expect(log.filter((l) => l.includes('cluster 999999 failed'))).toEqual([
      'snapshot of cluster 999999 failed (attempt 1): cluster 999999 is not registered (removed?)',
    ]);
  });

  test("a schedule takes the first snapshot at once, as BullMQ's does, repeats, and stops when paused", async () => {
    const c = await clusters.add('scheduled', { kind: 'manifests', dir: join(DEMO_DIR, '2-analytics') }, 1);
    await jobs.schedule(c);
    await expect.poll(() => count('snapshot', c.id), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await jobs.schedule({ ...c, paused: true });
    const atPause = await count('snapshot', c.id);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // A job already waiting when the schedule stopped may still run; no new ones are added.
    expect(await count('snapshot', c.id)).toBeLessThanOrEqual(atPause + 1);
  });
});
