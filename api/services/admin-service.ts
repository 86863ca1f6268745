import type { SnapshotJobs } from '../../store/queue/snapshot-jobs.js';
import {
  ClusterExistsError,
  type ClusterRow,
  type ClusterSource,
  type ClusterWithLastSuccess,
  type ClustersRepository,
} from '../../store/clusters.repository.js';
import { TokenExistsError, type TokenRow, type TokensRepository } from '../../store/tokens.repository.js';
import { parseEvery } from '../../arguments/every.js';
import { clusterIsOverdue } from '../../store/overdue.js';
import { isName, parseName } from '../../arguments/name.js';
import { parseScope } from '../../arguments/scope.js';
import { confineManifestSource, ManifestSourceError, type ManifestSourcePolicy } from '../../input/manifest-source.js';
import {
  ServiceError,
  type ClusterSummary,
  type Principal,
  type QueryService,
  type Scope,
  type SnapshotSummary,
} from './query-service.js';

export interface RegisterClusterInput {
  name: string;
  source: ClusterSource;
  /** How often to snapshot: `5m`, `1h` (at least 10 s). */
  every: string;
}

/** A cluster as its operator registered it: the source in full, the schedule. */
export interface ClusterSettings {
  name: string;
  source: ClusterSource;
  everySeconds: number;
  paused: boolean;
  /** When its last successful snapshot was taken (ISO 8601); null before the first. */
  lastSuccessAt: string | null;
  /** No success for more than two intervals (store/overdue.ts). */
  overdue: boolean;
}

export interface TokenInfo {
  name: string;
  scope: Scope;
  /** The one cluster it may see; null: every cluster. */
  cluster: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreateTokenInput {
  name: string;
  scope: Scope;
  cluster?: string | null;
}

/** What admin tokens may do besides querying: register clusters, trigger snapshots, manage tokens. */
export interface AdminService {
  registerCluster(p: Principal, input: RegisterClusterInput): Promise<ClusterSummary>;
  triggerSnapshot(p: Principal, cluster: string): Promise<{ jobId: string }>;
  /** The clusters the token may see, by name. */
  clusterSettings(p: Principal): Promise<ClusterSettings[]>;
  /** One cluster and its latest `recent` snapshots, latest first. */
  clusterWithSnapshots(
    p: Principal,
    cluster: string,
    recent: number,
  ): Promise<{ cluster: ClusterSettings; snapshots: SnapshotSummary[] }>;
  /** Paused: no scheduled snapshots until resumed (a triggered one still runs). */
  setPaused(p: Principal, cluster: string, paused: unknown): Promise<ClusterSummary>;
  /** Hidden from now on and unscheduled; with `purge`, deleted with all its history. */
  removeCluster(p: Principal, cluster: string, purge: boolean): Promise<void>;
  /**
   * Its operator, on the worker's host, vouches for a manifests source outside
   * REACHLOG_MANIFESTS_ROOT that the worker would not read otherwise (registered before
   * sources were confined). Refused through the API: a token is what confinement guards against.
   */
  confirmManifestSource(p: Principal, cluster: string): Promise<void>;
  tokens(p: Principal): Promise<TokenInfo[]>;
  /** The secret is in this answer only. */
  createToken(p: Principal, input: CreateTokenInput): Promise<{ token: TokenInfo; secret: string }>;
  revokeToken(p: Principal, name: string): Promise<void>;
}

function requireAdmin(p: Principal): void {
  if (!p.scopes.includes('admin')) throw new ServiceError('FORBIDDEN', `token ${p.name} lacks the admin scope`);
}

/** Registering clusters and managing tokens reach beyond one cluster: a cluster-bound admin may not. */
function requireGlobalAdmin(p: Principal, what: string): void {
  requireAdmin(p);
  if (p.clusterIds !== null)
    throw new ServiceError('FORBIDDEN', `token ${p.name} is bound to a cluster: it may not ${what}`);
}

/** Postgres text and JSON cannot hold a NUL: a source naming one is refused before it is stored. */
function refuseNul(s: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(s)) {
    if (typeof value === 'string' && value.includes('\u0000')) {
      throw new ServiceError('BAD_USER_INPUT', `source.${field}: must not contain a NUL character`);
    }
  }
}

function checkSource(source: unknown, manifests: ManifestSourcePolicy): ClusterSource {
  const s = (source ?? {}) as Record<string, unknown>;
  refuseNul(s);
  if (s.kind === 'manifests' && typeof s.dir === 'string' && s.dir !== '') {
    try {
      return { kind: 'manifests', dir: confineManifestSource(s.dir, manifests) };
    } catch (e) {
      if (e instanceof ManifestSourceError) throw new ServiceError('BAD_USER_INPUT', e.message);
      throw e;
    }
  }
  if (s.kind === 'kube') {
    if (s.context !== undefined && typeof s.context !== 'string')
      throw new ServiceError('BAD_USER_INPUT', 'source.context: a string');
    if (s.inCluster !== undefined && typeof s.inCluster !== 'boolean') {
      throw new ServiceError('BAD_USER_INPUT', 'source.inCluster: true or false');
    }
    if (s.context && s.inCluster)
      throw new ServiceError('BAD_USER_INPUT', 'source: give context or inCluster, not both');
    return {
      kind: 'kube',
      ...(s.context ? { context: s.context as string } : {}),
      ...(s.inCluster ? { inCluster: true } : {}),
    };
  }
  throw new ServiceError('BAD_USER_INPUT', 'source: {"kind":"kube","context":…} or {"kind":"manifests","dir":…}');
}

function settings(c: ClusterWithLastSuccess, now = new Date()): ClusterSettings {
  return {
    name: c.name,
    source: c.source,
    everySeconds: c.everySeconds,
    paused: c.paused,
    lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null,
    overdue: clusterIsOverdue(c, now),
  };
}

export class RepositoryAdminService implements AdminService {
  constructor(
    private readonly query: QueryService,
    private readonly clusters: ClustersRepository,
    private readonly tokenStore: TokensRepository,
    private readonly jobs: SnapshotJobs,
    /** Where manifests sources may be registered from: the API's root, or the CLI's host. */
    private readonly manifestSources: ManifestSourcePolicy,
  ) {}

  async registerCluster(p: Principal, input: RegisterClusterInput): Promise<ClusterSummary> {
    requireGlobalAdmin(p, 'register clusters');
    const name = parseName(input?.name, 'name');
    const source = checkSource(input.source, this.manifestSources);
    const every = parseEvery(input.every, 'every');
    // A cluster registered without its schedule would never be snapshotted: refuse before writing.
    this.jobs.ensureAvailable();
    let cluster: ClusterRow;
    try {
      cluster = await this.clusters.add(name, source, every, this.manifestSources.from);
    } catch (e) {
      if (e instanceof ClusterExistsError) throw new ServiceError('BAD_USER_INPUT', e.message);
      throw e;
    }
    try {
      await this.jobs.schedule(cluster);
    } catch (e) {
      // Redis went away between the check and the schedule: take the row back, so a retry registers it.
      await this.clusters.remove(cluster.id, true);
      throw e;
    }
    return this.query.cluster(p, name);
  }

  async triggerSnapshot(p: Principal, cluster: string): Promise<{ jobId: string }> {
    requireAdmin(p);
    return this.jobs.enqueue((await this.visible(p, cluster)).id);
  }

  async clusterSettings(p: Principal): Promise<ClusterSettings[]> {
    requireAdmin(p);
    const all = await this.clusters.listWithLastSuccess();
    return all.filter((c) => p.clusterIds === null || p.clusterIds.includes(c.id)).map((c) => settings(c));
  }

  async clusterWithSnapshots(
    p: Principal,
    cluster: string,
    recent: number,
  ): Promise<{ cluster: ClusterSettings; snapshots: SnapshotSummary[] }> {
    requireAdmin(p);
    const record = await this.visible(p, cluster);
    const { items } = await this.query.snapshots(p, cluster, { limit: recent });
    const summary = await this.query.cluster(p, cluster);
    const lastSuccessAt = summary.lastSuccessAt === null ? null : new Date(summary.lastSuccessAt);
    return { cluster: settings({ ...record, lastSuccessAt }), snapshots: items };
  }

  async setPaused(p: Principal, cluster: string, paused: unknown): Promise<ClusterSummary> {
    requireAdmin(p);
    if (typeof paused !== 'boolean') throw new ServiceError('BAD_USER_INPUT', 'paused: true or false');
    const record = await this.visible(p, cluster);
    this.jobs.ensureAvailable();
    await this.clusters.setPaused(record.id, paused);
    await this.jobs.schedule({ ...record, paused });
    return this.query.cluster(p, cluster);
  }

  async confirmManifestSource(p: Principal, cluster: string): Promise<void> {
    requireGlobalAdmin(p, 'confirm manifests sources');
    if (this.manifestSources.from !== 'operator') {
      throw new ServiceError(
        'FORBIDDEN',
        "manifests sources are confirmed on the worker's host only (`reachlog cluster confirm-source`), not through the API",
      );
    }
    const record = await this.visible(p, cluster);
    if (record.source.kind !== 'manifests')
      throw new ServiceError('BAD_USER_INPUT', `cluster ${cluster} reads a Kubernetes API, not a manifests directory`);
    await this.clusters.confirmRegisteredByOperator(record.id);
  }

  async removeCluster(p: Principal, cluster: string, purge: boolean): Promise<void> {
    requireGlobalAdmin(p, 'remove clusters');
    const record = await this.visible(p, cluster);
    await this.jobs.unschedule(record.id);
    await this.clusters.remove(record.id, purge);
  }

  /** Visibility first: a cluster the token may not see does not exist for it. */
  private async visible(p: Principal, cluster: string): Promise<ClusterRow> {
    await this.query.cluster(p, cluster);
    const record = await this.clusters.findByName(cluster);
    if (!record) throw new ServiceError('NOT_FOUND', `cluster ${JSON.stringify(cluster)} not found`);
    return record;
  }

  async tokens(p: Principal): Promise<TokenInfo[]> {
    requireGlobalAdmin(p, 'manage tokens');
    const names = await this.clusterNames();
    return (await this.tokenStore.list()).map((t) => this.info(t, names));
  }

  async createToken(p: Principal, input: CreateTokenInput): Promise<{ token: TokenInfo; secret: string }> {
    requireGlobalAdmin(p, 'manage tokens');
    const name = parseName(input?.name, 'name');
    const scope = parseScope(input.scope, 'scope');
    let clusterId: number | null = null;
    if (input.cluster !== undefined && input.cluster !== null) {
      const record = isName(input.cluster) ? await this.clusters.findByName(input.cluster) : undefined;
      if (!record) throw new ServiceError('BAD_USER_INPUT', `cluster ${JSON.stringify(input.cluster)} not found`);
      clusterId = record.id;
    }
    try {
      const { token, secret } = await this.tokenStore.create(name, scope, clusterId);
      return { token: this.info(token, await this.clusterNames()), secret };
    } catch (e) {
      if (e instanceof TokenExistsError) throw new ServiceError('BAD_USER_INPUT', `${e.message} (revoke it first)`);
      throw e;
    }
  }

  async revokeToken(p: Principal, name: string): Promise<void> {
    requireGlobalAdmin(p, 'manage tokens');
    if (!isName(name) || !(await this.tokenStore.revoke(name)))
      throw new ServiceError('NOT_FOUND', `no active token named ${JSON.stringify(name)}`);
  }

  private async clusterNames(): Promise<Map<number, string>> {
    return new Map((await this.clusters.list()).map((c) => [c.id, c.name]));
  }

  private info(t: TokenRow, clusters: Map<number, string>): TokenInfo {
    return {
      name: t.name,
      scope: t.scope,
      // A removed cluster's name is free again: say which one it was bound to, never `null` (all clusters).
      cluster: t.clusterId === null ? null : (clusters.get(t.clusterId) ?? `#${t.clusterId} (removed)`),
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    };
  }
}
