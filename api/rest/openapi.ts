/**
 * The REST API's OpenAPI 3.0 document, served at /api/v1/openapi.json. A test checks that its
 * paths and methods are exactly the routes the router registers, so the two cannot drift.
 */

import { QUESTION_NAMES, QUESTIONS, restSegment, type QuestionName } from '../services/questions.js';
import { alertPaths, alertSchemas } from './alert-openapi.js';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const array = (items: Json): Json => ({ type: 'array', items });
const str = (description?: string): Json => ({ type: 'string', ...(description ? { description } : {}) });
const nullable = (schema: Json): Json => ({ ...schema, nullable: true });

function query(name: string, description: string, required = false): Json {
  return { name, in: 'query', required, description, schema: { type: 'string' } };
}

const P = {
  name: { name: 'name', in: 'path', required: true, description: 'the cluster name', schema: { type: 'string' } },
  limit: {
    name: 'limit',
    in: 'query',
    description: 'page size',
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
  cursor: query('cursor', 'the `nextCursor` of the previous page'),
  tokenName: { name: 'name', in: 'path', required: true, description: 'the token name', schema: { type: 'string' } },
};

const problems = (...statuses: number[]): Json =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/Problem${s}` }]));

/** Every authenticated operation may answer these. */
const COMMON = [401, 429, 503];

function ok(description: string, schema: Json, status = '200'): Json {
  return { [status]: { description, content: { 'application/json': { schema } } } };
}

function op(operationId: string, summary: string, parameters: Json[], responses: Json, extra: Json = {}): Json {
  return { operationId, summary, parameters, responses: { ...responses, ...problems(...COMMON) }, ...extra };
}

const page = (item: string): Json => ({
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: array(ref(item)), nextCursor: nullable(str('pass back as `cursor`; null at the end')) },
});

const PROBLEM_STATUSES: Record<number, string> = {
  400: 'bad input (the detail names the parameter and what is wrong with it)',
  401: 'no bearer token, or an unknown or revoked one',
  403: 'the token lacks the scope',
  404: 'no such cluster (or one the token may not see), or no such route',
  413: 'the request body is too large',
  414: 'the request URI is too long',
  429: 'too many requests with this token, or too many with a missing or invalid token from this address',
  503: 'timed out, or not ready',
};

const schemas: Record<string, Json> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: str(),
      title: str(),
      status: { type: 'integer' },
      detail: str(),
      code: {
        type: 'string',
        enum: [
          'BAD_USER_INPUT',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'PAYLOAD_TOO_LARGE',
          'URI_TOO_LONG',
          'RATE_LIMITED',
          'TIMEOUT',
          'NOT_READY',
          'UNAVAILABLE',
          'INTERNAL',
        ],
      },
    },
  },
  PortRange: {
    type: 'object',
    required: ['protocol', 'ports'],
    properties: {
      protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] },
      ports: array({ type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 }),
    },
  },
  SnapshotSummary: {
    type: 'object',
    required: ['id', 'takenAt', 'status'],
    properties: {
      id: { type: 'integer' },
      takenAt: { type: 'string', format: 'date-time' },
      status: { type: 'string', enum: ['changed', 'unchanged', 'failed'] },
      durationMs: nullable({ type: 'integer' }),
      counts: nullable({ type: 'object', additionalProperties: { type: 'number' } }),
      problems: array(str()),
      error: nullable(str()),
    },
  },
  ClusterSummary: {
    type: 'object',
    required: ['name', 'source', 'everySeconds', 'paused', 'lastSuccessAt', 'overdue'],
    properties: {
      name: str(),
      source: str('`kube:<context>`, `kube:in-cluster`, `kube:default` or `manifests:<dir>`'),
      everySeconds: { type: 'integer' },
      paused: { type: 'boolean' },
      lastSnapshot: nullable(ref('SnapshotSummary')),
      lastSuccessAt: nullable(str('when the last successful snapshot was taken')),
      overdue: {
        type: 'boolean',
        description: 'no successful snapshot for more than two intervals: the history has a gap from lastSuccessAt on',
      },
    },
  },
  ClusterPaused: {
    type: 'object',
    required: ['paused'],
    properties: { paused: { type: 'boolean' } },
  },
  RegisterCluster: {
    type: 'object',
    required: ['name', 'source', 'every'],
    properties: {
      name: str(),
      source: {
        type: 'object',
        required: ['kind'],
        description:
          '`{"kind":"kube","context":"prod"}`, `{"kind":"kube","inCluster":true}` or `{"kind":"manifests","dir":"/path"}`',
        properties: {
          kind: { type: 'string', enum: ['kube', 'manifests'] },
          context: str(),
          inCluster: { type: 'boolean' },
          dir: str(),
        },
      },
      every: str('how often to snapshot, e.g. `5m` (at least 10s)'),
    },
  },
  SnapshotJob: { type: 'object', required: ['jobId'], properties: { jobId: str() } },
  ObjectRef: {
    type: 'object',
    required: ['kind', 'key'],
    properties: { kind: str(), key: str(), hash: nullable(str()) },
  },
  ReachEntry: {
    type: 'object',
    required: ['src', 'dst', 'srcText', 'dstText', 'allowed', 'since'],
    properties: {
      src: str('the source: a workload id or an outside address set `ip:…`'),
      dst: str('the destination: a workload id or an outside address set `ip:…`'),
      srcText: str('the source as people read it: the workload id, or `0.0.0.0/0 except 10.0.0.0/8`'),
      dstText: str('the destination as people read it'),
      allowed: array(ref('PortRange')),
      since: {
        type: 'object',
        properties: { snapshotId: { type: 'integer' }, takenAt: { type: 'string', format: 'date-time' } },
      },
    },
  },
  ReachChange: {
    type: 'object',
    required: ['change', 'src', 'dst', 'srcText', 'dstText', 'before', 'after', 'snapshotId', 'takenAt', 'causes'],
    properties: {
      change: { type: 'string', enum: ['added', 'removed', 'widened', 'narrowed', 'changed'] },
      src: str(),
      dst: str(),
      srcText: str('the source as people read it'),
      dstText: str('the destination as people read it'),
      before: array(ref('PortRange')),
      after: array(ref('PortRange')),
      snapshotId: { type: 'integer' },
      takenAt: { type: 'string', format: 'date-time' },
      causes: array(ref('ObjectRef')),
    },
  },
  ReachAnswer: {
    type: 'object',
    required: ['cluster', 'snapshot', 'resolved', 'entries'],
    properties: {
      cluster: str(),
      snapshot: ref('SnapshotSummary'),
      resolved: {
        type: 'object',
        properties: { workloads: array(str()), ports: array(ref('PortRange')) },
      },
      entries: page('ReachEntry'),
      changes: array(ref('ReachChange')),
      netChanges: array(ref('ReachChange')),
      warnings: array(str('a qualification the answer needs, naming policy and rule; absent: none')),
    },
  },
  ReachChangePage: page('ReachChange'),
  ClusterPage: page('ClusterSummary'),
  SnapshotPage: page('SnapshotSummary'),
  ExplainAnswer: {
    type: 'object',
    required: ['cluster', 'snapshot', 'src', 'dst', 'verdict', 'allowed', 'pairs', 'text'],
    properties: {
      cluster: str(),
      snapshot: ref('SnapshotSummary'),
      src: str(),
      dst: str(),
      verdict: { type: 'string', enum: ['allowed', 'denied'] },
      allowed: array(ref('PortRange')),
      probe: {
        type: 'object',
        properties: { protocol: str(), port: { type: 'integer' }, allowed: { type: 'boolean' } },
      },
      pairs: array({ type: 'object', description: 'per pod-variant pair: the egress and ingress sides' }),
      text: str('the explanation for people'),
      warnings: array(str('a qualification the answer needs, naming policy and rule; absent: none')),
    },
  },
  ExposureAnswer: {
    type: 'object',
    required: ['cluster', 'snapshot', 'openToOutside', 'openToWorld', 'unprotected', 'policiesSelectingNothing'],
    properties: {
      cluster: str(),
      snapshot: ref('SnapshotSummary'),
      openToOutside: array({
        type: 'object',
        properties: {
          workload: str(),
          from: str('outside addresses `ip:…`, one address family'),
          fromText: str('the same addresses as people read them'),
          allowed: array(ref('PortRange')),
        },
      }),
      openToWorld: array(str()),
      unprotected: array(str()),
      policiesSelectingNothing: array(str()),
      hostNetwork: array(str()),
      netChanges: array(ref('ReachChange')),
      warnings: array(str('a qualification the answer needs, naming policy and rule; absent: none')),
    },
  },
  Workload: {
    type: 'object',
    required: ['id', 'namespace', 'name', 'kind'],
    properties: {
      id: str(),
      namespace: str(),
      name: str(),
      kind: str(),
      hostNetwork: { type: 'boolean' },
      variants: array({ type: 'object' }),
    },
  },
  WorkloadPage: page('Workload'),
  Policy: {
    type: 'object',
    required: ['kind', 'key', 'name'],
    properties: {
      kind: str(),
      key: str(),
      namespace: nullable(str()),
      name: str(),
      policyTypes: nullable(array({ type: 'string', enum: ['Ingress', 'Egress'] })),
      selects: nullable(array(str())),
      spec: { type: 'object' },
    },
  },
  PolicyPage: page('Policy'),
  MatrixAnswer: {
    type: 'object',
    required: ['cluster', 'snapshot', 'peers', 'cells'],
    properties: {
      cluster: str(),
      snapshot: ref('SnapshotSummary'),
      peers: array(str()),
      cells: array({
        type: 'object',
        properties: { src: str(), dst: str(), allowed: array(ref('PortRange')) },
      }),
    },
  },
  NamespaceMatrixAnswer: {
    type: 'object',
    required: ['cluster', 'snapshot', 'namespaces', 'cells'],
    properties: {
      cluster: str(),
      snapshot: ref('SnapshotSummary'),
      namespaces: array({
        type: 'object',
        required: ['name', 'workloads'],
        properties: { name: str(), workloads: { type: 'integer' } },
      }),
      cells: array({
        type: 'object',
        required: ['src', 'dst', 'pairs'],
        properties: { src: str(), dst: str(), pairs: { type: 'integer' } },
      }),
      pairs: array({
        type: 'object',
        properties: { src: str(), dst: str(), allowed: array(ref('PortRange')) },
      }),
      pairsComplete: { type: 'boolean' },
    },
  },
  TokenInfo: {
    type: 'object',
    required: ['name', 'scope', 'cluster', 'createdAt', 'lastUsedAt'],
    properties: {
      name: str(),
      scope: { type: 'string', enum: ['read', 'admin'] },
      cluster: nullable(str('the one cluster it may see; null: every cluster')),
      createdAt: { type: 'string', format: 'date-time' },
      lastUsedAt: nullable({ type: 'string', format: 'date-time' }),
    },
  },
  CreateToken: {
    type: 'object',
    required: ['name', 'scope'],
    properties: {
      name: str(),
      scope: { type: 'string', enum: ['read', 'admin'] },
      cluster: nullable(str()),
    },
  },
  CreatedToken: {
    type: 'object',
    required: ['token', 'secret'],
    properties: { token: ref('TokenInfo'), secret: str('`rl_…`: shown in this answer only') },
  },
  ReportResult: {
    type: 'object',
    required: [
      'id',
      'cluster',
      'periodFrom',
      'periodTo',
      'createdAt',
      'format',
      'filename',
      'signed',
      'error',
      'downloadUrl',
    ],
    properties: {
      id: { type: 'integer' },
      cluster: str(),
      periodFrom: { type: 'string', format: 'date-time' },
      periodTo: { type: 'string', format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
      format: { type: 'string', enum: ['json', 'md', 'html', 'pdf', 'csv'] },
      filename: str(),
      signed: { type: 'boolean' },
      error: nullable(str('why this file could not be made')),
      downloadUrl: nullable(str('GET it for the file (its signature in X-Reachlog-Signature); null when it failed')),
    },
  },
  ReportRun: {
    type: 'object',
    description: 'a run of a stored definition, queued and made by the report worker',
    required: [
      'id',
      'definition',
      'status',
      'scheduled',
      'requestedBy',
      'periodFrom',
      'periodTo',
      'createdAt',
      'startedAt',
      'finishedAt',
      'error',
      'statusUrl',
      'results',
    ],
    properties: {
      id: { type: 'integer' },
      definition: str(),
      status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
      scheduled: { type: 'boolean', description: 'made by its schedule (else asked for)' },
      requestedBy: str('the token, reachlog-cli or reachlog-scheduler'),
      periodFrom: { type: 'string', format: 'date-time' },
      periodTo: { type: 'string', format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
      startedAt: nullable({ type: 'string', format: 'date-time' }),
      finishedAt: nullable({ type: 'string', format: 'date-time' }),
      error: nullable(str("why it failed: each failed result (cluster, format, reason), or the job's own error")),
      statusUrl: str('where to GET this run'),
      results: array(ref('ReportResult')),
    },
  },
  ...alertSchemas,
};

/** The schema a question answers with: a paged list is a page of its items. */
const answerSchema = (name: QuestionName): Json => {
  const q = QUESTIONS[name];
  return ref('list' in q ? `${q.answer}Page` : q.answer);
};

/** GET /clusters/{name}/<question> for every question of the table, its parameters as query parameters. */
function questionPaths(): Record<string, Json> {
  return Object.fromEntries(
    QUESTION_NAMES.map((name) => {
      const q = QUESTIONS[name];
      const params = Object.entries(q.params).map(([param, p]) => query(param, p.description, p.required));
      const parameters = [P.name, ...params, ...(q.paged ? [P.limit, P.cursor] : [])];
      const responses = { ...ok('the answer', answerSchema(name)), ...problems(400, 404, 414) };
      return [`/clusters/{name}/${restSegment(name)}`, { get: op(name, q.summary, parameters, responses) }];
    }),
  );
}

const jsonBody = (schema: string): Json => ({
  required: true,
  content: { 'application/json': { schema: ref(schema) } },
});

const ADMIN = 'needs the admin scope';

const REPORT_FILE = {
  '200': {
    description:
      'the report file (attachment); its detached ed25519 signature is the X-Reachlog-Signature header ' +
      '(base64 of the .sig JSON; absent when the server has no signing key)',
    content: Object.fromEntries(
      ['application/json', 'text/markdown', 'text/html', 'application/pdf', 'application/zip'].map((t) => [
        t,
        { schema: { type: 'string', format: 'binary' } },
      ]),
    ),
  },
};

/** Stored report definitions and their kept results. */
function reportDefinitionPaths(): Record<string, Json> {
  const report = {
    name: 'report',
    in: 'path',
    required: true,
    description: 'the definition name',
    schema: { type: 'string' },
  };
  const anyObject = { type: 'object' };
  const jsonOk = (description: string, status = '200') => ok(description, anyObject, status);
  return {
    '/reports': {
      get: op('listReportDefinitions', 'stored report definitions whose clusters the token may see', [], {
        ...jsonOk('{items: definitions}'),
        ...problems(400),
      }),
      post: op(
        'addReportDefinition',
        `store a definition: name, type, clusters, scope, options, period (7d), schedule (cron, UTC), formats (${ADMIN})`,
        [],
        { ...jsonOk('the definition', '201'), ...problems(400, 403, 404, 413) },
        { requestBody: { required: true, content: { 'application/json': { schema: anyObject } } } },
      ),
    },
    '/reports/{report}': {
      get: op('getReportDefinition', 'a definition, its latest kept results and its latest runs', [report], {
        ...jsonOk('{definition, results, runs}'),
        ...problems(400, 404),
      }),
      delete: op('removeReportDefinition', `remove a definition, its schedule, runs and results (${ADMIN})`, [report], {
        '204': { description: 'removed' },
        ...problems(403, 404),
      }),
    },
    '/reports/{report}/runs': {
      post: op(
        'runReportDefinition',
        `queue a run of a definition now (${ADMIN}); the report worker makes it: follow its statusUrl (also the Location header) until done or failed`,
        [report],
        {
          ...ok('the run, queued', ref('ReportRun'), '202'),
          ...problems(400, 403, 404),
        },
      ),
    },
    '/reports/{report}/runs/{run}': {
      get: op(
        'getReportRun',
        "a run's status (queued, running, done, failed with the reason) and, once finished, its results with their download links",
        [report, { name: 'run', in: 'path', required: true, description: 'the run id', schema: { type: 'string' } }],
        { ...ok('the run', ref('ReportRun')), ...problems(400, 404) },
      ),
    },
    '/report-results/{id}': {
      get: op(
        'downloadReportResult',
        "a kept result's file, its signature in X-Reachlog-Signature",
        [{ name: 'id', in: 'path', required: true, description: 'the result id', schema: { type: 'string' } }],
        { ...REPORT_FILE, ...problems(400, 404) },
      ),
    },
  };
}

/** GET and POST /clusters/{name}/reports/{type}: a report over a period, rendered and signed. */
function reportPaths(): Json {
  const type = {
    name: 'type',
    in: 'path',
    required: true,
    description: 'exposure, access, policy-audit or controls',
    schema: { type: 'string', enum: ['exposure', 'access', 'policy-audit', 'controls'] },
  };
  const parameters = [
    P.name,
    type,
    query('from', "the period's start: an ISO time, a duration back from now (30d) or snapshot:<id>", true),
    query('to', "the period's end (now when omitted)"),
    query('format', 'json (default), md, html, pdf or csv (a zip of one CSV per table)'),
    query('namespaces', 'scope: these namespaces, comma-separated'),
    query('namespaceSelector', 'scope: namespaces whose labels match this kubectl selector'),
    query('workloadSelector', 'scope: workloads whose pod labels match this kubectl selector'),
    query('requireEgressDeny', 'controls: `true` also requires default-deny egress'),
    query(
      'exemptNamespaces',
      'controls: namespaces (glob patterns, comma-separated) exempt from the per-namespace controls',
    ),
    query('worldAllowList', 'controls: workloads (glob patterns over ids) allowed to be open to 0.0.0.0/0'),
  ];
  return {
    get: op('runReport', 'run a report over a period and download it', parameters, {
      ...REPORT_FILE,
      ...problems(400, 404, 503),
    }),
    post: op(
      'runReportWithOptions',
      'run a report with options in a JSON body ({from, to, format, scope, options}; options.zones for segmentation)',
      [P.name, type],
      { ...REPORT_FILE, ...problems(400, 404, 413, 503) },
      { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } },
    ),
  };
}

export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'reachlog API',
    version: '1',
    description:
      'Who can reach whom in a Kubernetes cluster, and since when. Every operation takes ' +
      '`Authorization: Bearer <token>` (`reachlog token create`); errors are application/problem+json.',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }],
  paths: {
    '/openapi.json': {
      get: op('getOpenApi', 'this document', [], {
        '200': { description: 'OpenAPI 3.0', content: { 'application/json': {} } },
      }),
    },
    '/clusters': {
      get: op('listClusters', 'registered clusters the token may see', [P.limit, P.cursor], {
        ...ok('a page of clusters', ref('ClusterPage')),
        ...problems(400),
      }),
      post: op(
        'registerCluster',
        `register a cluster and its snapshot schedule (${ADMIN}, not bound to a cluster)`,
        [],
        { ...ok('the registered cluster', ref('ClusterSummary'), '201'), ...problems(400, 403, 413) },
        { requestBody: jsonBody('RegisterCluster') },
      ),
    },
    '/clusters/{name}': {
      get: op('getCluster', 'one cluster', [P.name], {
        ...ok('the cluster', ref('ClusterSummary')),
        ...problems(400, 404),
      }),
      patch: op(
        'setClusterPaused',
        `pause its scheduled snapshots, or resume them (${ADMIN})`,
        [P.name],
        { ...ok('the cluster', ref('ClusterSummary')), ...problems(400, 403, 404, 413) },
        { requestBody: jsonBody('ClusterPaused') },
      ),
      delete: op(
        'removeCluster',
        `unschedule and hide it; its history is kept unless purge=true (${ADMIN}, not bound to a cluster)`,
        [P.name, query('purge', '`true`: also delete its snapshots, versions and events')],
        { '204': { description: 'removed' }, ...problems(400, 403, 404) },
      ),
    },
    '/clusters/{name}/snapshots': {
      get: op('listSnapshots', 'its snapshots, latest first', [P.name, P.limit, P.cursor], {
        ...ok('a page of snapshots', ref('SnapshotPage')),
        ...problems(400, 404),
      }),
      post: op('triggerSnapshot', `snapshot it now (${ADMIN})`, [P.name], {
        ...ok('queued', ref('SnapshotJob'), '202'),
        ...problems(403, 404),
      }),
    },
    ...questionPaths(),
    '/clusters/{name}/reports/{type}': reportPaths(),
    ...reportDefinitionPaths(),
    '/tokens': {
      get: op('listTokens', `active tokens, never their secrets (${ADMIN})`, [], {
        ...ok('the tokens', { type: 'object', properties: { items: array(ref('TokenInfo')) } }),
        ...problems(403),
      }),
      post: op(
        'createToken',
        `create a token; the secret is in this answer only (${ADMIN})`,
        [],
        { ...ok('the token and its secret', ref('CreatedToken'), '201'), ...problems(400, 403, 413) },
        { requestBody: jsonBody('CreateToken') },
      ),
    },
    '/tokens/{name}': {
      delete: op('revokeToken', `revoke a token (${ADMIN})`, [P.tokenName], {
        '204': { description: 'revoked' },
        ...problems(403, 404),
      }),
    },
    ...alertPaths({ op, ok, problems, jsonBody }),
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: '`rl_…` from `reachlog token create`' } },
    schemas,
    responses: Object.fromEntries(
      Object.entries(PROBLEM_STATUSES).map(([status, description]) => [
        `Problem${status}`,
        { description, content: { 'application/problem+json': { schema: ref('Problem') } } },
      ]),
    ),
  },
};
