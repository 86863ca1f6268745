/**
 * The largest id Postgres' `integer` columns hold (clusters, snapshots, tokens). An id past it
 * names nothing; sent to Postgres it would fail the query, so parsers refuse it first.
 */
export const MAX_ROW_ID = 2_147_483_647;

export function isRowId(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= MAX_ROW_ID;
}
