import { fileURLToPath } from 'node:url';

/** Where build-history.ts says which database it filled. */
export const HISTORY_FILE = fileURLToPath(new URL('../out/api-history.json', import.meta.url));

export interface HistoryInfo {
  url: string;
  database: string;
  /** The cluster's name in the API (`/clusters/{name}`). */
  cluster: string;
  clusterId: number;
  scenario: string;
  days: number;
  snapshots: number;
  /** Slots stored by storeSnapshot; the others were quiet (bench/history/quiet-snapshots.ts). */
  storedThroughStoreSnapshot?: number;
  firstTakenAt: string;
  lastTakenAt: string;
  pods: number;
  policies: number;
  databaseBytes: number;
  buildMs: number;
}
