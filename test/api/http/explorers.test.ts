import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { GRAPHQL_EXPLORER, REST_EXPLORER } from '../../../api/http/explorers.js';
import { openApiDocument } from '../../../api/rest/openapi.js';
import { fakeApp } from '../../support/fake-query-service.js';

/** Every `src=`/`href=` of a page: what a browser loads (or follows) from it. */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

describe('the explorers, served by the API itself', () => {
  test.each([
    ['GraphQL (Altair)', GRAPHQL_EXPLORER, 'main.js'],
    ['REST (Swagger UI)', REST_EXPLORER, 'swagger-ui-bundle.js'],
  ])('%s: the page and every asset it names come from the API, without a token', async (_name, page, script) => {
    const app = await fakeApp();
    const res = await request(app).get(page).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.text;
    expect(html).not.toMatch(/\bhttps?:\/\//);
    const urls = referencedUrls(html);
    expect(urls).toContain(script);
    for (const url of urls) {
      expect(url, 'a relative URL, resolved against the page').not.toMatch(/^(?:[a-z]+:|\/\/)/i);
      const asset = await request(app).get(new URL(url, `http://api${page}`).pathname);
      expect(asset.status, url).toBe(200);
      expect(asset.body.length || asset.text.length, url).toBeGreaterThan(0);
    }
  });

  test('the GraphQL explorer talks to /graphql; the REST one reads /api/v1/openapi.json', async () => {
    const app = await fakeApp();
    expect((await request(app).get(GRAPHQL_EXPLORER)).text).toMatch(/endpointURL: `\/graphql`/);
    expect((await request(app).get(REST_EXPLORER)).text).toContain("url: '/api/v1/openapi.json'");
  });

  test('the OpenAPI document is readable without a token', async () => {
    const app = await fakeApp();
    const res = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  test('the data behind them still needs a token', async () => {
    const app = await fakeApp();
    await request(app).post('/graphql').send({ query: '{ clusters { edges { node { name } } } }' }).expect(401);
    await request(app).get('/api/v1/clusters').expect(401);
    await request(app).get('/api/v1/clusters/demo/who-can-reach?target=x').expect(401);
    // Files of the packages other than the pages' own are not served.
    await request(app).get(`${REST_EXPLORER}index.html`).expect(401);
    await request(app).get(`${REST_EXPLORER}swagger-initializer.js`).expect(401);
  });
});
