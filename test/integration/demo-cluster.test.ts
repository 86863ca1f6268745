import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_DIR, DemoHistoryError, ensureDemoCluster, replayTimelineOnce } from '../../worker/demo/demo-cluster.js';
import { replayTimeline } from '../../worker/demo/replay-timeline.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createTestDatabase, DATABASE_KINDS, PGLITE_SETUP_MS, type TestDatabase } from '../support/test-database.js';

const TABLES = ['snapshot', 'object_version', 'reach_version', 'exposure_event', 'current_pod'] as const;

describe.each(DATABASE_KINDS)('the demo cluster on %s', (kind) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let clusters: ClustersRepository;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    pool = database.pool();
    clusters = new ClustersRepository(pool);
  }, PGLITE_SETUP_MS);

  afterAll(async () => {
    await database?.drop();
  });

  async function history(clusterId: number): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE cluster_id = $1`, [
        clusterId,
      ]);
      counts[table] = Number(rows[0]!.n);
    }
    return counts;
  }

  test('is registered once, paused, reading the latest point of the timeline', async () => {
    const first = await ensureDemoCluster(clusters);
    const second = await ensureDemoCluster(clusters);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.cluster.id).toBe(first.cluster.id);
    expect(second.cluster).toMatchObject({
      name: 'demo',
      paused: true,
      source: { kind: 'manifests', dir: join(DEMO_DIR, '5-payments-guard') },
    });
    expect((await clusters.list()).filter((c) => c.name === 'demo')).toHaveLength(1);
  });

  test('replaying twice (even at once) stores the timeline once: the second run adds nothing', async () => {
    const { cluster } = await ensureDemoCluster(clusters);
    const now = new Date('2030-06-15T12:00:00Z');
    const [a, b] = await Promise.all([
      database.exclusive(() => replayTimelineOnce(pool, cluster.id, DEMO_DIR, now)),
      database.exclusive(() => replayTimelineOnce(pool, cluster.id, DEMO_DIR, now)),
    ]);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const after = await history(cluster.id);
    expect(after.snapshot).toBe(5);

    const later = new Date('2030-06-20T12:00:00Z');
    const again = await database.exclusive(() => replayTimelineOnce(pool, cluster.id, DEMO_DIR, later));
    expect(again).toEqual({ replayed: false, replayedAt: now, snapshots: 5 });
    expect(await history(cluster.id)).toEqual(after);

    const { rows } = await pool.query<{ taken_at: Date }>(
      'SELECT taken_at FROM snapshot WHERE cluster_id = $1 ORDER BY id',
      [cluster.id],
    );
    expect(rows.map((r) => (now.getTime() - r.taken_at.getTime()) / 86_400_000)).toEqual([28, 14, 5, 1, 0.5]);
  });

  test('the history holds the incident the demo queries find: postgres opened to analytics and 0.0.0.0/0', async () => {
    const { cluster } = await ensureDemoCluster(clusters);
    const { rows } = await pool.query<{ change: string; src: string; days: number }>(
      `SELECT e.change, e.src, round(extract(epoch FROM ($2::timestamptz - s.taken_at)) / 86400) AS days
         FROM exposure_event e JOIN snapshot s ON s.id = e.snapshot_id
        WHERE e.cluster_id = $1 AND e.dst = 'db/postgres[StatefulSet]'`,
      [cluster.id, new Date('2030-06-15T12:00:00Z')],
    );
    const point3 = rows.filter((r) => Number(r.days) === 5);
    expect(point3).toContainEqual(expect.objectContaining({ change: 'added', src: 'analytics/reports[Deployment]' }));
    expect(point3).toContainEqual(expect.objectContaining({ change: 'exposed', src: 'outside' }));
  });

  test('the history holds the admin Deny of point 5: the storefront lost payments, caused by pci-payments', async () => {
    const { cluster } = await ensureDemoCluster(clusters);
    const { rows } = await pool.query<{ change: string; causes: unknown }>(
      `SELECT e.change, e.causes FROM exposure_event e JOIN snapshot s ON s.id = e.snapshot_id
        WHERE e.cluster_id = $1 AND e.src = 'storefront/web[Deployment]' AND e.dst = 'api/payments[Deployment]'
          AND s.taken_at = $2`,
      [cluster.id, new Date('2030-06-15T00:00:00Z')],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.change).toBe('removed');
    expect(JSON.stringify(rows[0]!.causes)).toContain('pci-payments');
  });

  test('an interrupted replay is reported, not completed over', async () => {
    const partial = await clusters.add('partial', { kind: 'manifests', dir: DEMO_DIR }, 3600);
    await replayTimeline(pool, partial.id, join(DEMO_DIR, '..', 'demo'), new Date());
    await pool.query('DELETE FROM snapshot WHERE id = (SELECT max(id) FROM snapshot WHERE cluster_id = $1)', [
      partial.id,
    ]);
    await expect(database.exclusive(() => replayTimelineOnce(pool, partial.id))).rejects.toBeInstanceOf(
      DemoHistoryError,
    );
  });
});
