import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { env } from '../../config/env.js';
import { startEmbeddedPostgres } from '../../store/db/embedded-postgres.js';
import { ensureDatabase, migrateDeploy } from '../../store/db/migrate.js';
import { createPool } from '../../store/db/pool.js';

/** The tables reachlog's history lives in, in the order reports list them. */
export const HISTORY_TABLES = [
  'cluster',
  'snapshot',
  'object_version',
  'reach_version',
  'current_pod',
  'exposure_event',
] as const;

export interface TableSize {
  table: string;
  rows: number;
  /** pg_total_relation_size: heap, TOAST and indexes. */
  bytes: number;
}

/** A throwaway database next to DATABASE_URL's (same server), migrated, with one cluster registered. */
export class BenchDatabase {
  readonly pool: pg.Pool;

  private constructor(
    readonly url: string,
    readonly name: string,
    readonly clusterId: number,
    pool?: pg.Pool,
    private readonly dispose?: () => Promise<void>,
  ) {
    this.pool = pool ?? createPool(url);
  }

  /** The embedded store instead (PGlite in a temporary directory, one connection, no COPY), migrated likewise. */
  static async createEmbedded(purpose: string): Promise<BenchDatabase> {
    const dir = mkdtempSync(join(tmpdir(), `reachlog-bench-${purpose}-`));
    const db = await startEmbeddedPostgres(dir);
    const { rows } = await db.pool.query<{ id: number }>(
      `INSERT INTO cluster (name, source_kind, context, every_seconds) VALUES ($1, 'kube', 'fake-context', 300) RETURNING id`,
      [purpose],
    );
    return new BenchDatabase(db.url, dir, rows[0]!.id, db.pool, async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });
  }

  /**
   * `purpose` names the database (`reachlog_bench_<purpose>_<pid>`), so a leftover says where it
   * came from; `name` instead names one meant to be kept (replaced if it exists).
   */
  static async create(purpose: string, name = `reachlog_bench_${purpose}_${process.pid}`): Promise<BenchDatabase> {
    const url = new URL(env().databaseUrl);
    url.pathname = `/${name}`;
    await dropDatabase(url.toString());
    await ensureDatabase(url.toString());
    await migrateDeploy(url.toString());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO cluster (name, source_kind, context, every_seconds) VALUES ($1, 'kube', 'fake-context', 300) RETURNING id`,
        [purpose],
      );
      return new BenchDatabase(url.toString(), name, rows[0]!.id);
    } finally {
      await client.end();
    }
  }

  /** Rows (exact count) and bytes per table, after VACUUM ANALYZE so dead tuples from UPDATEs are reclaimable. */
  async tableSizes(vacuum = true): Promise<TableSize[]> {
    if (vacuum) await this.pool.query('VACUUM ANALYZE');
    const sizes: TableSize[] = [];
    for (const table of HISTORY_TABLES) {
      const { rows } = await this.pool.query<{ rows: string; bytes: string }>(
        `SELECT (SELECT count(*) FROM ${table}) AS rows, pg_total_relation_size('${table}') AS bytes`,
      );
      sizes.push({ table, rows: Number(rows[0]!.rows), bytes: Number(rows[0]!.bytes) });
    }
    return sizes;
  }

  /** Whether the server runs autovacuum (benchmark servers often do not). */
  async autovacuum(): Promise<boolean> {
    const { rows } = await this.pool.query<{ autovacuum: string }>('SHOW autovacuum');
    return rows[0]!.autovacuum === 'on';
  }

  /**
   * What autovacuum would do for the tables reachlog UPDATEs or DELETEs from (snapshot counts,
   * versions' valid_to, current_pod rewrites): make dead rows' space reusable.
   */
  async vacuumUpdatedTables(): Promise<void> {
    await this.pool.query('VACUUM snapshot, object_version, reach_version, current_pod');
  }

  async databaseBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    return Number(rows[0]!.bytes);
  }

  /** Closes the pool; drops the database unless `keep`. */
  async close(keep = false): Promise<void> {
    if (this.dispose) return this.dispose();
    await this.pool.end();
    if (!keep) await dropDatabase(this.url);
  }
}

async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
