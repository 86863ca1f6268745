import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { openApiDocument } from '../../../api/rest/openapi.js';
import { restRouter } from '../../../api/rest/router.js';
import { fakeAdminService, fakeApp, fakeQueryService } from '../../support/fake-query-service.js';

type Operation = `${string} ${string}`;

/** `METHOD /path/{param}` of every route the router actually registered. */
function registeredOperations(): Operation[] {
  const router = restRouter(fakeQueryService(), fakeAdminService());
  return router.stack.flatMap((layer) =>
    layer.route
      ? layer.route.stack.map(
          (handler): Operation => `${handler.method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`,
        )
      : [],
  );
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

  test('is served at /api/v1/openapi.json', async () => {
    const app = await fakeApp();
    const res = await request(app)
      .get('/api/v1/openapi.json')
      .set('Authorization', 'Bearer rl_test-admin-secret')
      .expect(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});
