import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client.js';
import { DataDirInUseError, startEmbeddedPostgres, type EmbeddedPostgres } from '../store/db/embedded-postgres.js';
import type { InProcessSnapshotJobs } from '../worker/queue/in-process-jobs.js';
import { startInProcessJobs } from '../worker/queue/run-in-process.js';
import type { Db } from '../store/db/prisma-client.js';
import { CliError } from './cli-error.js';

/** Where `demo` and `serve --embedded` keep their data unless told otherwise (relative to the working directory). */
export const DEFAULT_DATA_DIR = '.reachlog/embedded';

export interface EmbeddedStack {
  postgres: EmbeddedPostgres;
  /** Prisma over the embedded pool's one connection. */
  prisma: Db;
  jobs: InProcessSnapshotJobs;
  /** Stops the jobs (after the running one), then the store. */
  close(): Promise<void>;
}

/** The embedded store, migrated, and snapshot jobs running in this process. */
export async function startEmbeddedStack(dataDir: string, log: (line: string) => void): Promise<EmbeddedStack> {
  const postgres = await startEmbeddedPostgres(dataDir).catch((e: unknown) => {
    throw e instanceof DataDirInUseError ? new CliError(e.message, 1) : e;
  });
  const prisma: Db = new PrismaClient({ adapter: new PrismaPg(postgres.pool) });
  try {
    const jobs = await startInProcessJobs(postgres.pool, prisma, log);
    return {
      postgres,
      prisma,
      jobs,
      async close() {
        await jobs.close();
        await prisma.$disconnect();
        await postgres.close();
      },
    };
  } catch (e) {
    await prisma.$disconnect();
    await postgres.close();
    throw e;
  }
}
