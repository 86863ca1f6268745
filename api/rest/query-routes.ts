import type { Router } from 'express';
import { principalOf } from '../http/auth.js';
import type { QueryService } from '../services/query-service.js';
import { ask, QUESTION_NAMES, QUESTIONS, restSegment, type QueryOf } from '../services/questions.js';
import { defined, pathParam, QueryParams } from './query-params.js';
import { json } from './send.js';

/** GET /clusters/{name}/<question>: the table's parameters from the query string, as written. */
export function addQueryRoutes(router: Router, service: QueryService): void {
  for (const name of QUESTION_NAMES) {
    router.get(
      `/clusters/:name/${restSegment(name)}`,
      json((req) => {
        const q = new QueryParams(req.query);
        const spec = QUESTIONS[name];
        const params = Object.entries(spec.params).map(([param, p]) => [
          param,
          p.required ? q.required(param) : q.optional(param),
        ]);
        const query = {
          cluster: pathParam(req, 'name'),
          ...defined(Object.fromEntries(params) as Record<string, string | undefined>),
          ...(spec.paged ? { page: q.page() } : {}),
        };
        q.done();
        return ask(service, name, principalOf(req), query as QueryOf<typeof name>);
      }),
    );
  }
}
