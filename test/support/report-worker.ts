import type pg from 'pg';
import { ReportService } from '../../api/services/reports/report-service.js';
import { privateKeyOf } from '../../api/services/reports/signing.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import { startReportWorker } from '../../worker/queue/report-worker.js';

export interface TestReportWorker {
  logs: string[];
  close(): Promise<void>;
}

/**
 * The report queue's worker as `reachlog worker` starts it (startReportWorker), over a test
 * database and Redis, with the report service's signing key, browser and clock given.
 */
export async function startTestReportWorker(
  pool: pg.Pool,
  redisUrl: string,
  options: { signingKey?: string; chromiumPath?: string; now?: () => Date; lockDurationMs?: number } = {},
): Promise<TestReportWorker> {
  const logs: string[] = [];
  const connection = createRedis(redisUrl, { log: (line) => logs.push(line) });
  const reports = new ReportService(pool, {
    ...(options.now ? { now: options.now } : {}),
    signingKey: options.signingKey === undefined ? undefined : privateKeyOf(options.signingKey),
    chromiumPath: options.chromiumPath ?? '/usr/bin/chromium',
  });
  const worker = startReportWorker({
    pool,
    connection,
    reports,
    lockDurationMs: options.lockDurationMs ?? 30_000,
    log: (line) => logs.push(line),
    errors: (line) => logs.push(line),
  });
  await worker.waitUntilReady();
  return {
    logs,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
