import { Router } from 'express';
import { checkReadiness, READINESS_TIMEOUT_MS, type ReadinessCheck } from '../../store/readiness.js';
import { sendProblem } from './problem.js';
import { redact } from '../../config/redact.js';

export type { ReadinessCheck };

/**
 * `/healthz`: the process serves requests (liveness; never touches a dependency, so a database
 * outage does not get every replica restarted). `/readyz`: every dependency answers, else 503
 * naming the ones that did not. Neither needs a token.
 */
export function healthRouter(checks: Record<string, ReadinessCheck>, timeoutMs = READINESS_TIMEOUT_MS): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(checks, { timeoutMs, describe: redact });
    if (readiness.ready) {
      res.json({ status: 'ready', checks: readiness.checks });
      return;
    }
    sendProblem(res, 'NOT_READY', readiness.detail, { checks: readiness.checks });
  });
  return router;
}
