import { Router } from 'express';
import { markRouteBase } from '../http/request-metrics.js';
import type { AdminService } from '../services/admin-service.js';
import type { AlertService } from '../services/alert-service.js';
import { addAlertRoutes } from './alert-routes.js';
import type { QueryService } from '../services/query-service.js';
import { addClusterRoutes } from './cluster-routes.js';
import { addQueryRoutes } from './query-routes.js';
import { addTokenRoutes } from './token-routes.js';

/**
 * Everything under /api/v1 that needs a token, on one router (a test reads its routes and
 * compares them with the document; the document itself is served before auth, by explorersRouter).
 */
export function restRouter(service: QueryService, admin: AdminService, alerts?: AlertService): Router {
  const router = Router();
  router.use(markRouteBase);
  router.use((_req, res, next) => {
    // Answers depend on the token: no shared cache may keep them.
    res.set('Cache-Control', 'no-store');
    next();
  });
  addClusterRoutes(router, service, admin);
  addQueryRoutes(router, service);
  addTokenRoutes(router, admin);
  addAlertRoutes(router, alerts);
  return router;
}
