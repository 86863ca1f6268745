import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { hasMetricsToken, metricsAnswer } from '../../metrics/exposition.js';
import { sendProblem } from './problem.js';

/**
 * `/metrics` on the API's own port, behind the metrics token (REACHLOG_METRICS_TOKEN): not an
 * API token, so that a scraper's credential reads nothing else. Without a configured token it is
 * not served here (the metrics port serves it, if one is set).
 */
export function metricsEndpoint(registry: Registry, token: string | undefined): RequestHandler {
  return (req, res) => {
    if (token === undefined) {
      sendProblem(
        res,
        'NOT_FOUND',
        'metrics are not served on this port: use the metrics port (reachlog api --metrics-port), or set REACHLOG_METRICS_TOKEN to serve them here',
      );
      return;
    }
    if (!hasMetricsToken(req.get('authorization'), token)) {
      sendProblem(res, 'UNAUTHENTICATED', 'the metrics token (REACHLOG_METRICS_TOKEN) is required');
      return;
    }
    void metricsAnswer(registry).then((a) => {
      res.status(a.status).set('Cache-Control', 'no-store').type(a.contentType).send(a.body);
    });
  };
}
