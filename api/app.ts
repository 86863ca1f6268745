import express, { type Express, type Request } from 'express';
import type { Store } from 'express-rate-limit';
import { bearerAuth, principalOf, type Authenticate } from './http/auth.js';
import { errorHandler, noRoute } from './http/error-handler.js';
import { DEFAULT_FAILED_AUTH_LIMIT, failedAuthLimit, type FailedAuthLimitOptions } from './http/failed-auth-limit.js';
import { explorersRouter } from './http/explorers.js';
import { healthRouter, type ReadinessCheck } from './http/health.js';
import { metricsEndpoint } from './http/metrics-endpoint.js';
import { DEFAULT_RATE_LIMIT, perTokenRateLimit, type RateLimitOptions } from './http/rate-limit.js';
import { requestLog } from './http/request-log.js';
import { requestMetrics } from './http/request-metrics.js';
import { maxUrlLength, requestTimeout } from './http/request-limits.js';
import { openApiDocument } from './rest/openapi.js';
import { restRouter } from './rest/router.js';
import { dashboardRouter, type DashboardOptions } from './web/dashboard-router.js';
import type { ApiMetrics } from '../metrics/process-metrics.js';
import type { AdminService } from './services/admin-service.js';
import type { AlertService } from './services/alert-service.js';
import type { Principal, QueryService } from './services/query-service.js';
import type { ReportService } from './services/reports/report-service.js';
import type { ReportDefinitionService } from './services/reports/report-definitions.js';

export interface AppLimits {
  /** express.json's `limit`, e.g. `64kb`. */
  body: string;
  /** Bytes of the request target (path and query string). */
  urlBytes: number;
  timeoutMs: number;
  rate: RateLimitOptions;
  /** Requests failing authentication per client address. */
  failedAuth: FailedAuthLimitOptions;
}

export const DEFAULT_LIMITS: AppLimits = {
  body: '64kb',
  urlBytes: 8 * 1024,
  timeoutMs: 10_000,
  rate: DEFAULT_RATE_LIMIT,
  failedAuth: DEFAULT_FAILED_AUTH_LIMIT,
};

/** Mounts GraphQL on the app, behind the same auth, taking the principal the auth found. */
export type MountGraphql = (app: Express, principalFromRequest: (req: Request) => Principal) => void | Promise<void>;

export interface AppDeps {
  service: QueryService;
  admin: AdminService;
  /** Alert rules, deliveries and silences; absent: their routes answer 404. */
  alerts?: AlertService;
  /** Compliance reports (REST /clusters/{name}/reports/{type}); absent: no report routes. */
  reports?: ReportService;
  /** Stored report definitions and results (REST /reports, /report-results/{id}). */
  reportDefinitions?: ReportDefinitionService;
  authenticate: Authenticate;
  /** For /readyz: `postgres`, `redis`, … each resolving when the dependency answers. */
  readiness: Record<string, ReadinessCheck>;
  graphql?: MountGraphql;
  limits?: Partial<AppLimits>;
  /** Where the per-token rate limit counts (shared by replicas); default: in this process. */
  rateStore?: Store;
  /** Reverse proxies in front whose X-Forwarded-For names the client (REACHLOG_TRUST_PROXY_HOPS); default 0. */
  trustProxyHops?: number;
  /** Where failed authentications per address count (a store of its own: express-rate-limit needs one per limiter). */
  failedAuthStore?: Store;
  /** One line per request and per unexpected error, already redacted. Default: stderr. */
  log?: (line: string) => void;
  /** Request durations go here; `/metrics` serves the registry when a metrics token is set. */
  metrics?: { api: ApiMetrics; token?: string };
  dashboard?: DashboardOptions;
}

/**
 * The HTTP API: health probes, the OpenAPI document and the explorers without a token (and
 * `/metrics` with the metrics token), then the per-address limit on failed authentication, the
 * dashboard's own pages (signed in by a session cookie: a wrong token at its sign-in counts as a
 * failure too), bearer (or session) auth, the per-token rate limit and
 * the body limit in front of REST (/api/v1) and GraphQL (/graphql). Every error is problem+json.
 */
export async function createApp(deps: AppDeps): Promise<Express> {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const log = deps.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Without it X-Forwarded-For is ignored: a client cannot pick the address it is counted under.
  if (deps.trustProxyHops) app.set('trust proxy', deps.trustProxyHops);

  app.use(requestLog(log));
  if (deps.metrics) {
    app.use(requestMetrics(deps.metrics.api.http));
    app.get('/metrics', metricsEndpoint(deps.metrics.api.registry, deps.metrics.token));
  }
  app.use(maxUrlLength(limits.urlBytes));
  app.use(requestTimeout(limits.timeoutMs));
  app.use(healthRouter(deps.readiness));
  app.use(explorersRouter(openApiDocument));

  app.use(failedAuthLimit(limits.failedAuth, deps.failedAuthStore, log));
  app.use(dashboardRouter(deps.authenticate, deps.dashboard));
  app.use(bearerAuth(deps.authenticate));
  app.use(perTokenRateLimit(limits.rate, deps.rateStore, log));
  app.use(express.json({ limit: limits.body }));

  app.use('/api/v1', restRouter(deps.service, deps.admin, deps.alerts, deps.reports, deps.reportDefinitions));
  if (deps.graphql) await deps.graphql(app, principalOf);

  app.use(noRoute);
  app.use(errorHandler(log));
  return app;
}
