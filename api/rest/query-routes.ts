import type { Request, Router } from 'express';
import { principalOf } from '../http/auth.js';
import type { ListQuery, QueryService, ReachQuery } from '../services/query-service.js';
import { defined, pathParam, QueryParams } from './query-params.js';
import { json } from './send.js';

/** `target` for who-can-reach, `source` for what-can-reach: the rest is the same question. */
function reachQuery(req: Request, subject: 'target' | 'source'): ReachQuery {
  const q = new QueryParams(req.query);
  const query: ReachQuery = {
    cluster: pathParam(req, 'name'),
    target: q.required(subject),
    ...defined({ port: q.optional('port'), at: q.optional('at'), since: q.optional('since') }),
    page: q.page(),
  };
  q.done();
  return query;
}

function listQuery(req: Request): ListQuery {
  const q = new QueryParams(req.query);
  const query: ListQuery = {
    cluster: pathParam(req, 'name'),
    ...defined({ at: q.optional('at'), namespace: q.optional('namespace') }),
    page: q.page(),
  };
  q.done();
  return query;
}

/** The questions, each one QueryService call; parameters are passed as written. */
export function addQueryRoutes(router: Router, service: QueryService): void {
  router.get(
    '/clusters/:name/who-can-reach',
    json((req) => service.whoCanReach(principalOf(req), reachQuery(req, 'target'))),
  );
  router.get(
    '/clusters/:name/what-can-reach',
    json((req) => service.whatCanReach(principalOf(req), reachQuery(req, 'source'))),
  );
  router.get(
    '/clusters/:name/diff',
    json((req) => {
      const q = new QueryParams(req.query);
      const query = {
        cluster: pathParam(req, 'name'),
        from: q.required('from'),
        ...defined({ to: q.optional('to'), namespace: q.optional('namespace'), workload: q.optional('workload') }),
        page: q.page(),
      };
      q.done();
      return service.diff(principalOf(req), query);
    }),
  );
  router.get(
    '/clusters/:name/explain',
    json((req) => {
      const q = new QueryParams(req.query);
      const query = {
        cluster: pathParam(req, 'name'),
        src: q.required('src'),
        dst: q.required('dst'),
        ...defined({ port: q.optional('port'), at: q.optional('at') }),
      };
      q.done();
      return service.explain(principalOf(req), query);
    }),
  );
  router.get(
    '/clusters/:name/exposure',
    json((req) => {
      const q = new QueryParams(req.query);
      const query = { cluster: pathParam(req, 'name'), ...defined({ at: q.optional('at') }) };
      q.done();
      return service.exposure(principalOf(req), query);
    }),
  );
  router.get(
    '/clusters/:name/workloads',
    json((req) => service.workloads(principalOf(req), listQuery(req))),
  );
  router.get(
    '/clusters/:name/policies',
    json((req) => service.policies(principalOf(req), listQuery(req))),
  );
  router.get(
    '/clusters/:name/matrix',
    json((req) => {
      const q = new QueryParams(req.query);
      const query = {
        cluster: pathParam(req, 'name'),
        ...defined({ at: q.optional('at'), namespace: q.optional('namespace'), selector: q.optional('selector') }),
      };
      q.done();
      return service.matrix(principalOf(req), query);
    }),
  );
}
