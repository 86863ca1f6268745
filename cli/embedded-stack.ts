import { DataDirInUseError, startEmbeddedPostgres, type EmbeddedPostgres } from '../store/db/embedded-postgres.js';
import { env } from '../config/env.js';
import { startInProcessAlerts, startInProcessJobs, type InProcessSnapshotJobs } from '../worker/index.js';
import { CliError } from './cli-error.js';

/** Where `demo` and `serve --embedded` keep their data unless told otherwise (relative to the working directory). */
export const DEFAULT_DATA_DIR = '.reachlog/embedded';

export interface EmbeddedStack {
  postgres: EmbeddedPostgres;
  jobs: InProcessSnapshotJobs;
  /** Stops the jobs (after the running one), then the store. */
  close(): Promise<void>;
}

/** The embedded store, migrated, and snapshot jobs running in this process. */
export async function startEmbeddedStack(
  dataDir: string,
  log: (line: string) => void,
  /** The key receivers are sealed with (the demo brings its own when REACHLOG_SECRET_KEY is unset). */
  secretKey: Buffer | undefined = env().secretKey,
): Promise<EmbeddedStack> {
  const postgres = await startEmbeddedPostgres(dataDir).catch((e: unknown) => {
    throw e instanceof DataDirInUseError ? new CliError(e.message, 1) : e;
  });
  try {
    const jobs = await startInProcessJobs(postgres.pool, log);
    const alerts = startInProcessAlerts(postgres.pool, { secretKey, publicUrl: env().publicUrl, log });
    return {
      postgres,
      jobs,
      async close() {
        await jobs.close();
        await alerts.close();
        await postgres.close();
      },
    };
  } catch (e) {
    await postgres.close();
    throw e;
  }
}
