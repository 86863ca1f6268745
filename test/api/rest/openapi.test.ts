import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import type { Router } from 'express';
import { explorersRouter } from '../../../api/http/explorers.js';
import { openApiDocument } from '../../../api/rest/openapi.js';
import { restRouter } from '../../../api/rest/router.js';
import { ReportService } from '../../../api/services/reports/report-service.js';
import { ReportDefinitionService } from '../../../api/services/reports/report-definitions.js';
import type pg from 'pg';
import type { Principal, QueryService } from '../../../api/services/query-service.js';
import { QUESTION_NAMES, QUESTIONS, restSegment } from '../../../api/services/questions.js';
import { fakeAdminService, fakeApp, fakeQueryService } from '../../support/fake-query-service.js';

type Operation = `${string} ${string}`;

/** `METHOD /path/{param}` of every route a router registered, under `prefix`. */
function operationsOf(router: Router, prefix = ''): Operation[] {
  return router.stack.flatMap((layer) =>
    layer.route?.path.startsWith(prefix)
      ? layer.route.stack.map(
          (handler): Operation =>
            `${handler.method.toUpperCase()} ${layer.route!.path.slice(prefix.length).replace(/:(\w+)/g, '{$1}')}`,
        )
      : [],
  );
}

/** The token-guarded router's routes, and the document itself (served before auth). */
function registeredOperations(): Operation[] {
  return [
    ...operationsOf(
      restRouter(
        fakeQueryService(),
        fakeAdminService(),
        undefined,
        new ReportService({} as pg.Pool, { chromiumPath: '' }),
        new ReportDefinitionService({} as never, {} as never, {} as never),
      ),
    ),
    ...operationsOf(explorersRouter({}), '/api/v1'),
  ];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function documentedOperations(): Operation[] {
  return Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.includes(m))
      .map((m): Operation => `${m.toUpperCase()} ${path}`),
  );
}

const unique = (ops: Operation[]) => [...new Set(ops)].sort();

describe('the OpenAPI document', () => {
  test('is valid OpenAPI 3.0', async () => {
    // validate() dereferences in place: give it a copy.
    const api = await SwaggerParser.validate(structuredClone(openApiDocument) as never);
    expect(api.info.title).toBe('reachlog API');
  });

  test('documents exactly the routes the router registers', () => {
    const registered = unique(registeredOperations());
    expect(registered.length).toBeGreaterThan(10);
    expect(unique(documentedOperations())).toEqual(registered);
  });

  test('every documented operation is routed under /api/v1 in the app', async () => {
    const app = await fakeApp();
    const base = openApiDocument.servers[0]!.url;
    for (const op of documentedOperations()) {
      const [method, path] = op.split(' ') as [string, string];
      const url = `${base}${path.replace(/\{\w+\}/g, 'demo')}`;
      const agent = request(app);
      const send = agent[method.toLowerCase() as 'get'].bind(agent);
      const res = await send(url).set('Authorization', 'Bearer rl_test-admin-secret');
      expect(res.body.detail ?? '', op).not.toMatch(/^no route/);
      expect(res.status, `${op}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
    }
    const unrouted = await request(app).get(`${base}/nothing`).set('Authorization', 'Bearer rl_test-admin-secret');
    expect(unrouted.body.detail).toMatch(/^no route/);
  });

  test('every operation has a unique operationId; each question is named as the service method it calls', () => {
    const ids = Object.values(openApiDocument.paths).flatMap((item) =>
      Object.entries(item as Record<string, { operationId?: string }>)
        .filter(([m]) => METHODS.includes(m))
        .map(([, op]) => op.operationId),
    );
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const name of QUESTION_NAMES) {
      const op = (
        openApiDocument.paths as unknown as Record<
          string,
          { get?: { operationId: string; parameters: { name: string }[] } }
        >
      )[`/clusters/{name}/${restSegment(name)}`]?.get;
      expect(op?.operationId, name).toBe(name);
      const expected = [
        'name',
        ...Object.keys(QUESTIONS[name].params),
        ...(QUESTIONS[name].paged ? ['limit', 'cursor'] : []),
      ];
      expect(op!.parameters.map((p) => p.name)).toEqual(expected);
    }
  });

  test("a question's REST parameters reach its service method under the same names", async () => {
    const seen: Record<string, unknown> = {};
    const recording = Object.fromEntries(
      QUESTION_NAMES.map((name) => [
        name,
        async (p: Principal, q: unknown) => {
          seen[name] = q;
          return (fakeQueryService()[name] as (p: Principal, q: unknown) => Promise<unknown>)(p, q);
        },
      ]),
    );
    const app = await fakeApp(recording as Partial<QueryService>);
    for (const name of QUESTION_NAMES) {
      const params = Object.fromEntries(Object.keys(QUESTIONS[name].params).map((k) => [k, `${k}-value`]));
      await request(app)
        .get(`/api/v1/clusters/c1/${restSegment(name)}`)
        .query(params)
        .set('Authorization', 'Bearer rl_test-admin-secret')
        .expect(200);
      expect(seen[name], name).toEqual({ cluster: 'c1', ...params, ...(QUESTIONS[name].paged ? { page: {} } : {}) });
    }
  });

  test('is served at /api/v1/openapi.json', async () => {
    const app = await fakeApp();
    const res = await request(app)
      .get('/api/v1/openapi.json')
      .set('Authorization', 'Bearer rl_test-admin-secret')
      .expect(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});
