import { createRequire as packageRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDistDirectory, renderAltair } from 'altair-static';
import express, { Router } from 'express';

// Named apart from the CLI bundle's own createRequire and require (scripts/build-cli.mjs's banner).
const resolvePackage = packageRequire(import.meta.url);
const SWAGGER_UI_DIR = dirname(resolvePackage.resolve('swagger-ui-dist/package.json'));
/** Only what the page below loads: swagger-ui-dist's own index points at a demo document on the web. */
const SWAGGER_UI_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

export const GRAPHQL_EXPLORER = '/explorer/graphql/';
export const REST_EXPLORER = '/explorer/rest/';
const OPENAPI_URL = '/api/v1/openapi.json';

/** Altair, from altair-static's bundled files, pointed at /graphql with an empty bearer header to fill in. */
const altairPage = renderAltair({
  baseURL: GRAPHQL_EXPLORER,
  endpointURL: '/graphql',
  initialHeaders: { Authorization: 'Bearer ' },
  disableAccount: true,
});

/** Swagger UI over the OpenAPI document; its Authorize button takes the bearer token. */
const swaggerPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>reachlog REST API</title>
    <base href="${REST_EXPLORER}" />
    <link rel="icon" href="favicon-32x32.png" />
    <link rel="stylesheet" href="swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="swagger-ui-bundle.js"></script>
    <script>
      SwaggerUIBundle({ url: '${OPENAPI_URL}', dom_id: '#swagger-ui', validatorUrl: null, tryItOutEnabled: true });
    </script>
  </body>
</html>
`;

/**
 * What a browser may read without a token: the OpenAPI document and the two explorers, every
 * asset served from node_modules (no CDN, so they work offline). The data they ask for goes
 * through bearer auth like any other request.
 */
export function explorersRouter(openApiDocument: object): Router {
  const router = Router();
  router.get(OPENAPI_URL, (_req, res) => {
    res.json(openApiDocument);
  });
  router.get(GRAPHQL_EXPLORER, (_req, res) => {
    res.type('html').send(altairPage);
  });
  router.use(GRAPHQL_EXPLORER, express.static(getDistDirectory(), { index: false }));
  router.get(REST_EXPLORER, (_req, res) => {
    res.type('html').send(swaggerPage);
  });
  router.get(`${REST_EXPLORER}:file`, (req, res, next) => {
    if (!SWAGGER_UI_FILES.has(req.params.file)) return next();
    res.sendFile(join(SWAGGER_UI_DIR, req.params.file));
  });
  return router;
}
