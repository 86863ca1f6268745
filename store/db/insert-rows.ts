import type { PoolClient } from 'pg';

/** Postgres's limit on bind parameters in one statement. */
const MAX_PARAMETERS = 65_535;
/** Beyond this, a statement's text and parameters grow without making the insert faster. */
const MAX_ROWS = 1_000;

/**
 * Bulk insert as multi-row INSERTs, for connections that cannot carry COPY (PGlite behind
 * pglite-socket loses protocol synchronization on COPY FROM STDIN). Each value is a parameter
 * typed by its column, so it takes the same values COPY does.
 */
export async function insertRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
): Promise<void> {
  const perStatement = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  const head = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  let batch: unknown[] = [];
  let tuples: string[] = [];
  const flush = async () => {
    if (tuples.length === 0) return;
    await client.query(head + tuples.join(', '), batch);
    batch = [];
    tuples = [];
  };
  for (const row of rows) {
    const first = batch.length;
    tuples.push(`(${row.map((_, i) => `$${first + i + 1}`).join(', ')})`);
    batch.push(...row);
    if (tuples.length === perStatement) await flush();
  }
  await flush();
}
