import type { TableSize } from './bench-database.js';

/** ingest-one.ts reports on stdout as one line: this prefix, then the JSON. */
export const RESULT_PREFIX = 'RESULT ';

/** One scenario's ingest, as ingest-one.ts measured it. */
export interface IngestResult {
  scenario: string;
  /** Postgres at DATABASE_URL (COPY), or the embedded PGlite store (batched INSERTs). */
  store: 'postgres' | 'embedded';
  counts: Record<string, number>;
  pages: number;
  listMs: number;
  storeMs: number;
  status: string;
  /** Peak RSS after the first listing, after storing it, and at the end (after the second round). */
  rssAfterListBytes: number;
  rssAfterStoreBytes: number;
  peakRssBytes: number;
  tables: TableSize[];
  databaseBytes: number;
  secondListMs: number;
  secondStoreMs: number;
  secondStatus: string;
}
