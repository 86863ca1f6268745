import type { RequestHandler } from 'express';
import { UNMATCHED_ROUTE, type HttpRequestDuration } from '../../metrics/http-metrics.js';

/** Mounts answered as a whole (no route of their own inside): GraphQL's one endpoint. */
const WHOLE_MOUNTS = ['/graphql'];

/**
 * Records each request's duration under the route pattern that answered it. Express forgets a
 * router's mount path once an error leaves it, so the mount is noted on the way in
 * (`markRouteBase`, first in each mounted router).
 */
export function requestMetrics(duration: HttpRequestDuration): RequestHandler {
  return (req, res, next) => {
    const end = duration.startTimer({ method: req.method });
    res.once('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const base = (res.locals.routeBase as string | undefined) ?? req.baseUrl;
      const whole = WHOLE_MOUNTS.find((m) => req.path === m || req.originalUrl.startsWith(`${m}?`));
      const route = typeof routePath === 'string' ? `${base}${routePath}` : (whole ?? UNMATCHED_ROUTE);
      end({ route, status: String(res.statusCode) });
    });
    next();
  };
}

/** Notes where the router that runs it is mounted, for requestMetrics. */
export const markRouteBase: RequestHandler = (req, res, next) => {
  res.locals.routeBase = req.baseUrl;
  next();
};
