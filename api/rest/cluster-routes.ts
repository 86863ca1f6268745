import type { Router } from 'express';
import { requireScope, principalOf } from '../http/auth.js';
import type { AdminService, RegisterClusterInput } from '../services/admin-service.js';
import { ServiceError, type QueryService } from '../services/query-service.js';
import { pathParam, QueryParams } from './query-params.js';
import { bodyOf, json } from './send.js';

/** Registered clusters and their snapshots; registering, pausing, removing and triggering need the admin scope. */
export function addClusterRoutes(router: Router, service: QueryService, admin: AdminService): void {
  router.get(
    '/clusters',
    json((req) => {
      const q = new QueryParams(req.query);
      const page = q.page();
      q.done();
      return service.clusters(principalOf(req), page);
    }),
  );
  router.post(
    '/clusters',
    requireScope('admin'),
    json((req) => admin.registerCluster(principalOf(req), bodyOf(req) as unknown as RegisterClusterInput), 201),
  );
  router.get(
    '/clusters/:name',
    json((req) => {
      new QueryParams(req.query).done();
      return service.cluster(principalOf(req), pathParam(req, 'name'));
    }),
  );
  router.patch(
    '/clusters/:name',
    requireScope('admin'),
    json((req) => {
      new QueryParams(req.query).done();
      return admin.setPaused(principalOf(req), pathParam(req, 'name'), bodyOf(req).paused);
    }),
  );
  router.delete(
    '/clusters/:name',
    requireScope('admin'),
    json(async (req) => {
      const q = new QueryParams(req.query);
      const purge = q.optional('purge');
      q.done();
      if (purge !== undefined && purge !== 'true' && purge !== 'false') {
        throw new ServiceError('BAD_USER_INPUT', `query parameter purge ${JSON.stringify(purge)}: true or false`);
      }
      await admin.removeCluster(principalOf(req), pathParam(req, 'name'), purge === 'true');
    }),
  );
  router.get(
    '/clusters/:name/snapshots',
    json((req) => {
      const q = new QueryParams(req.query);
      const page = q.page();
      q.done();
      return service.snapshots(principalOf(req), pathParam(req, 'name'), page);
    }),
  );
  router.post(
    '/clusters/:name/snapshots',
    requireScope('admin'),
    json((req) => admin.triggerSnapshot(principalOf(req), pathParam(req, 'name')), 202),
  );
}
