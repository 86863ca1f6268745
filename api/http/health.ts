import { Router } from 'express';
import { sendProblem } from './problem.js';
import { redact } from '../../config/redact.js';

/** A dependency's readiness: resolves when it answers. */
export type ReadinessCheck = () => Promise<unknown>;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `/healthz`: the process serves requests (liveness; never touches a dependency, so a database
 * outage does not get every replica restarted). `/readyz`: every dependency answers, else 503
 * naming the ones that did not. Neither needs a token.
 */
export function healthRouter(checks: Record<string, ReadinessCheck>, timeoutMs = 2_000): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await within(timeoutMs, Promise.resolve().then(check));
          return [name, 'ok'] as const;
        } catch (e) {
          return [name, redact((e as Error).message || String(e))] as const;
        }
      }),
    );
    const failed = results.filter(([, outcome]) => outcome !== 'ok');
    const report = Object.fromEntries(results);
    if (failed.length === 0) {
      res.json({ status: 'ready', checks: report });
      return;
    }
    const detail = failed.map(([name, outcome]) => `${name}: ${outcome}`).join('; ');
    sendProblem(res, 'NOT_READY', detail, { checks: report });
  });
  return router;
}
