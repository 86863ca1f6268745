import { createApp, type AppDeps } from '../../api/app.js';
import type { AdminService } from '../../api/services/admin-service.js';
import type { Principal, QueryService, SnapshotSummary } from '../../api/services/query-service.js';
import { ReportService } from '../../api/services/reports/report-service.js';
import { ReportDefinitionService } from '../../api/services/reports/report-definitions.js';
import type pg from 'pg';

/**
 * A QueryService answering every call with an empty, well-formed answer, for tests of the HTTP
 * edge alone (routing, limits, error mapping). Override a method to make it slow or fail.
 */
export function fakeQueryService(overrides: Partial<QueryService> = {}): QueryService {
  const snapshot: SnapshotSummary = {
    id: 1,
    takenAt: '2025-06-01T12:00:00.000Z',
    status: 'changed',
    durationMs: 10,
    counts: {},
    problems: [],
    error: null,
  };
  const empty = { items: [], nextCursor: null };
  const summary = {
    name: 'demo',
    source: 'kube:default',
    everySeconds: 300,
    paused: false,
    lastSnapshot: snapshot,
    lastSuccessAt: snapshot.takenAt,
    overdue: false,
  };
  const reach = async (_p: Principal, q: { cluster: string }) => ({
    cluster: q.cluster,
    snapshot,
    resolved: { workloads: [] },
    entries: empty,
  });
  return {
    clusters: async () => ({ items: [summary], nextCursor: null }),
    cluster: async () => summary,
    snapshots: async () => ({ items: [snapshot], nextCursor: null }),
    whoCanReach: reach,
    whatCanReach: reach,
    diff: async () => empty,
    explain: async (_p, q) => ({
      cluster: q.cluster,
      snapshot,
      src: q.src,
      dst: q.dst,
      verdict: 'denied',
      allowed: [],
      pairs: [],
      text: '',
    }),
    exposure: async (_p, q) => ({
      cluster: q.cluster,
      snapshot,
      openToOutside: [],
      openToWorld: [],
      unprotected: [],
      policiesSelectingNothing: [],
      hostNetwork: [],
    }),
    workloads: async () => empty,
    policies: async () => empty,
    matrix: async (_p, q) => ({ cluster: q.cluster, snapshot, peers: [], cells: [] }),
    namespaceMatrix: async (_p, q) => ({ cluster: q.cluster, snapshot, namespaces: [], cells: [] }),
    ...overrides,
  };
}

export function fakeAdminService(): AdminService {
  const token = {
    name: 't',
    scope: 'read' as const,
    cluster: null,
    createdAt: '2025-06-01T12:00:00.000Z',
    lastUsedAt: null,
  };
  return {
    registerCluster: async (_p, input) => ({
      name: input.name,
      source: 'kube:default',
      everySeconds: 300,
      paused: false,
      lastSnapshot: null,
      lastSuccessAt: null,
      overdue: false,
    }),
    triggerSnapshot: async () => ({ jobId: '1' }),
    confirmManifestSource: async () => undefined,
    clusterSettings: async () => [],
    clusterWithSnapshots: async (_p, name) => ({
      cluster: {
        name,
        source: { kind: 'kube' },
        everySeconds: 300,
        paused: false,
        lastSuccessAt: null,
        overdue: false,
      },
      snapshots: [],
    }),
    setPaused: async (_p, name, paused) => ({
      name,
      source: 'kube:default',
      everySeconds: 300,
      paused: paused === true,
      lastSnapshot: null,
      lastSuccessAt: null,
      overdue: false,
    }),
    removeCluster: async () => undefined,
    tokens: async () => [token],
    createToken: async () => ({ token, secret: 'rl_fake' }),
    revokeToken: async () => undefined,
  };
}

export const FAKE_ADMIN: Principal = { tokenId: 1, name: 'admin', scopes: ['read', 'admin'], clusterIds: null };

/** Authenticates exactly one secret, as FAKE_ADMIN. */
export const fakeAuthenticate = async (secret: string) => (secret === 'rl_test-admin-secret' ? FAKE_ADMIN : null);

/** The real app over the fakes, with FAKE_ADMIN's secret `rl_test-admin-secret`; logs dropped. */
export function fakeApp(overrides: Partial<QueryService> = {}, deps: Partial<AppDeps> = {}) {
  return createApp({
    service: fakeQueryService(overrides),
    admin: fakeAdminService(),
    authenticate: fakeAuthenticate,
    readiness: {},
    log: () => undefined,
    // Never queried here: routes are checked for existence and input errors only.
    reports: new ReportService({} as pg.Pool, { chromiumPath: '' }),
    reportDefinitions: new ReportDefinitionService(
      { list: async () => [], byName: async () => undefined, result: async () => undefined } as never,
      { byName: async () => undefined } as never,
      {} as never,
    ),
    ...deps,
  });
}
