import type pg from 'pg';
import { env } from '../../../config/env.js';
import { ReportService } from './report-service.js';
import { privateKeyOf } from './signing.js';

/** The report service as configured: the signing key and Chromium from the environment. */
export function reportServiceFromEnv(pool: pg.Pool, now?: () => Date): ReportService {
  const e = env();
  return new ReportService(pool, {
    ...(now ? { now } : {}),
    signingKey: e.reportSigningKey === undefined ? undefined : privateKeyOf(e.reportSigningKey),
    chromiumPath: e.chromiumPath,
  });
}
