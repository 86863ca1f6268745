import type pg from 'pg';
import type { ConnectionSet } from '../../engine/index.js';
import { authorizeRead, visibleCluster } from './access.js';
import { diffAnswer } from './diff-answer.js';
import { explainAnswer } from './explain-answer.js';
import { FreshCache } from './fresh-cache.js';
import { historyWarnings } from './history-warnings.js';
import { exposureAnswer, outsideNetChanges } from './exposure-answer.js';
import { policyPage, workloadPage } from './listings.js';
import { LruCache } from './lru-cache.js';
import { matrixAnswer, matrixPeers } from './matrix-answer.js';
import { cellOf, namespaceMatrixAnswer } from './namespace-matrix-answer.js';
import { decodeCursor, pageLimit, pageOf } from './page.js';
import { parsePortArg } from './port-ranges.js';
import {
  ServiceError,
  type ClusterSummary,
  type DiffQuery,
  type ExplainAnswer,
  type ExplainQuery,
  type ExposureAnswer,
  type ExposureQuery,
  type ListQuery,
  type MatrixAnswer,
  type MatrixQuery,
  type NamespaceMatrixAnswer,
  type NamespaceMatrixQuery,
  type Page,
  type PageArgs,
  type PolicyInfo,
  type Principal,
  type QueryService,
  type ReachAnswer,
  type ReachChange,
  type WhatCanReachQuery,
  type WhoCanReachQuery,
  type SnapshotSummary,
  type TimeRef,
  type WorkloadInfo,
} from './query-service.js';
import { reachAnswer, type Direction } from './reach-answer.js';
import { ClustersRepository, type ClusterWithLastSnapshot } from '../../store/clusters.repository.js';
import { ExposureEventsRepository } from '../../store/exposure-events.repository.js';
import { SnapshotsRepository, type SnapshotRow } from '../../store/snapshots.repository.js';
import { VersionsRepository } from '../../store/versions.repository.js';
import { SnapshotData } from './snapshot-data.js';
import { resolveSnapshot, type ReadableSnapshot, type SnapshotLookups } from './snapshot-resolver.js';
import { toClusterSummary, toSnapshotSummary } from './summaries.js';
import { resolveTarget } from './target-resolver.js';

export interface QueryServiceOptions {
  /** The clock durations (`7d`) count back from and future times are judged by. */
  now?: () => Date;
  /** Snapshots whose results stay in memory (LRU). */
  cacheSize?: number;
  /**
   * Bytes (as JSON) of answers kept in memory (LRU), each keyed by the resolved snapshots and the
   * whole question; default 64 MiB. 0 computes every answer.
   */
  answerCacheBytes?: number;
  /** How long a cluster's row and its first and latest snapshots are read from memory (FreshCache); 0: never. */
  freshForMs?: number;
}

function required(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ServiceError('BAD_USER_INPUT', `${name} is required`);
  return value;
}

const describe = (s: ReadableSnapshot) => `snapshot ${s.id} (${s.takenAt.toISOString()})`;

/** Who the warm-up asks as: it reads every cluster and answers nobody. */
const WARM_UP: Principal = { tokenId: 0, name: 'warm-up', scopes: ['read'], clusterIds: null };

/** The dashboard's first page compares now with this long ago unless told otherwise (api/web/app/pages/overview.ts). */
export const FIRST_PAGE_SINCE = '7d';

/** The QueryService over reachlog's Postgres history. */
export class PgQueryService implements QueryService {
  private readonly clusterReads: ClustersRepository;
  private readonly snapshotReads: SnapshotsRepository;
  private readonly events: ExposureEventsRepository;
  private readonly data: SnapshotData;
  private readonly answers: LruCache<string, unknown>;
  /** Answers being computed, so that concurrent askers share one computation. */
  private readonly computing = new Map<string, Promise<unknown>>();
  /** What queries resolve names and times through: the cluster row and its first and latest snapshots, held briefly. */
  private readonly lookups: { clusters: Pick<ClustersRepository, 'byName'>; snapshots: SnapshotLookups };
  private readonly now: () => Date;

  constructor(pool: pg.Pool, options: QueryServiceOptions = {}) {
    this.clusterReads = new ClustersRepository(pool);
    this.snapshotReads = new SnapshotsRepository(pool);
    this.events = new ExposureEventsRepository(pool);
    this.data = new SnapshotData(new VersionsRepository(pool), options.cacheSize);
    // An answer weighs its JSON length: what it costs to keep, roughly, and what it costs to send.
    this.answers = new LruCache(options.answerCacheBytes ?? 64 * 2 ** 20, (a) => JSON.stringify(a).length);
    const freshFor = options.freshForMs ?? 1000;
    const clusterRows = new FreshCache<string, ClusterWithLastSnapshot | undefined>(freshFor);
    const latest = new FreshCache<number, SnapshotRow | undefined>(freshFor);
    const first = new FreshCache<number, SnapshotRow | undefined>(freshFor);
    const reads = this.snapshotReads;
    this.lookups = {
      clusters: {
        byName: (name, visible) =>
          clusterRows.getOrLoad(JSON.stringify([name, visible]), () => this.clusterReads.byName(name, visible)),
      },
      snapshots: {
        latest: (clusterId) => latest.getOrLoad(clusterId, () => reads.latest(clusterId)),
        byId: (clusterId, id) => reads.byId(clusterId, id),
        atOrBefore: (clusterId, time) => reads.atOrBefore(clusterId, time),
        first: (clusterId) => first.getOrLoad(clusterId, () => reads.first(clusterId)),
      },
    };
    this.now = options.now ?? (() => new Date());
  }

  /**
   * An answer computed once per question. Stored history never changes, so a question whose
   * times are resolved to snapshot ids has one answer for good; a new snapshot changes what
   * `now` or `7d` resolve to, and so the key. Answers are shared: callers must not mutate them.
   */
  private answer<T>(key: readonly unknown[], compute: () => Promise<T>): Promise<T> {
    const k = JSON.stringify(key);
    const kept = this.answers.get(k);
    if (kept !== undefined) return Promise.resolve(kept as T);
    const pending = this.computing.get(k);
    if (pending) return pending as Promise<T>;
    const computed = compute()
      .then((answer) => {
        this.answers.set(k, answer);
        return answer;
      })
      .finally(() => this.computing.delete(k));
    this.computing.set(k, computed);
    return computed;
  }

  private snapshotAt(
    cluster: ClusterWithLastSnapshot,
    ref: TimeRef | undefined,
    field = 'at',
  ): Promise<ReadableSnapshot> {
    return resolveSnapshot(this.lookups.snapshots, cluster, ref, this.now(), field);
  }

  /**
   * Answers the dashboard's first page for every cluster before anyone asks: exposure now and
   * FIRST_PAGE_SINCE ago, and the changes between them; and the namespace matrix now (the
   * heaviest first question of the other pages: every workload's row). Loading a 10k-pod snapshot's stored
   * result and objects costs about 0.3 s of CPU, and seconds on a busy machine; done here, on
   * start-up and after each new snapshot, the first page reads the answer cache. Best effort:
   * a cluster it cannot answer (no snapshot that old yet) is left to be asked.
   */
  async warmFirstPages(): Promise<void> {
    const clusters = await this.clusterReads.page(null, null, 1000);
    for (const c of clusters) {
      if (!c.lastSnapshot) continue;
      const asks = [
        () => this.exposure(WARM_UP, { cluster: c.name }),
        () => this.exposure(WARM_UP, { cluster: c.name, at: FIRST_PAGE_SINCE }),
        () => this.diff(WARM_UP, { cluster: c.name, from: FIRST_PAGE_SINCE, page: { limit: 1000 } }),
        () => this.namespaceMatrix(WARM_UP, { cluster: c.name }),
      ];
      for (const ask of asks) {
        try {
          await ask();
        } catch (e) {
          if (!(e instanceof ServiceError)) throw e;
        }
      }
    }
  }

  async clusters(p: Principal, page?: PageArgs): Promise<Page<ClusterSummary>> {
    authorizeRead(p);
    const limit = pageLimit(page);
    const after = decodeCursor('clusters', page?.cursor, 1);
    if (after !== null && typeof after[0] !== 'string') {
      throw new ServiceError('BAD_USER_INPUT', 'invalid cursor for clusters: pass back a cursor this list returned');
    }
    const rows = await this.clusterReads.page(p.clusterIds, after === null ? null : (after[0] as string), limit + 1);
    return pageOf(
      'clusters',
      rows.map((c) => toClusterSummary(c, this.now())),
      limit,
      (c) => [c.name],
    );
  }

  async cluster(p: Principal, name: string): Promise<ClusterSummary> {
    return toClusterSummary(await visibleCluster(this.clusterReads, p, name), this.now());
  }

  async snapshots(p: Principal, cluster: string, page?: PageArgs): Promise<Page<SnapshotSummary>> {
    const c = await visibleCluster(this.clusterReads, p, cluster);
    const limit = pageLimit(page);
    const after = decodeCursor('snapshots', page?.cursor, 1);
    if (after !== null && typeof after[0] !== 'number') {
      throw new ServiceError('BAD_USER_INPUT', 'invalid cursor for snapshots: pass back a cursor this list returned');
    }
    const rows = await this.snapshotReads.page(c.id, after === null ? null : (after[0] as number), limit + 1);
    return pageOf('snapshots', rows.map(toSnapshotSummary), limit, (s) => [s.id]);
  }

  whoCanReach(p: Principal, q: WhoCanReachQuery): Promise<ReachAnswer> {
    return this.reach('in', p, q, q.target, 'target');
  }

  whatCanReach(p: Principal, q: WhatCanReachQuery): Promise<ReachAnswer> {
    return this.reach('out', p, q, q.source, 'source');
  }

  /** `ref` is the target (in) or the source (out), named `parameter` in errors. */
  private async reach(
    direction: Direction,
    p: Principal,
    q: Omit<WhoCanReachQuery, 'target'>,
    ref: string,
    parameter: string,
  ): Promise<ReachAnswer> {
    const cluster = await visibleCluster(this.lookups.clusters, p, q.cluster);
    const targetRef = required(ref, parameter);
    const probe = q.port === undefined || q.port === null ? null : parsePortArg(q.port).set;
    const snapshot = await this.snapshotAt(cluster, q.at);
    const since = q.since === undefined || q.since === null ? null : await this.snapshotAt(cluster, q.since, 'since');
    if (since && since.takenAt > snapshot.takenAt) {
      throw new ServiceError('BAD_USER_INPUT', `since (${describe(since)}) is after at (${describe(snapshot)})`);
    }
    const question = [
      direction,
      cluster.id,
      snapshot.id,
      since?.id ?? null,
      targetRef,
      q.port ?? null,
      q.page?.limit ?? null,
      q.page?.cursor ?? null,
    ];
    return this.answer(question, async () => {
      const [objects, stored, baseline] = await Promise.all([
        this.data.objectsAt(cluster.id, snapshot),
        this.data.reach(cluster.id, snapshot),
        this.lookups.snapshots.first(cluster.id),
      ]);
      const target = resolveTarget(targetRef, objects, describe(snapshot), parameter);
      let filter: ConnectionSet | null = target.ports ?? null;
      if (probe) filter = filter ? filter.intersect(probe) : probe;
      const answer = await reachAnswer(
        direction,
        {
          cluster,
          snapshot,
          stored,
          target,
          filter,
          since,
          reachAt: (s) => this.data.reach(cluster.id, s),
          baseline: baseline as ReadableSnapshot,
          events: this.events,
        },
        q.page,
      );
      return withWarnings(answer, historyWarnings(objects, snapshot));
    });
  }

  async diff(p: Principal, q: DiffQuery): Promise<Page<ReachChange>> {
    const cluster = await visibleCluster(this.lookups.clusters, p, q.cluster);
    const from = await this.snapshotAt(cluster, required(q.from, 'from'), 'from');
    const to = await this.snapshotAt(cluster, q.to, 'to');
    if (from.takenAt > to.takenAt) {
      throw new ServiceError('BAD_USER_INPUT', `from (${describe(from)}) is after to (${describe(to)})`);
    }
    const filter = { namespace: q.namespace ?? null, workload: q.workload ?? null };
    return this.answer(
      ['diff', cluster.id, from.id, to.id, filter, q.page?.limit ?? null, q.page?.cursor ?? null],
      () =>
        diffAnswer(
          { cluster, from, to, filter, events: this.events, reachAt: (s) => this.data.reach(cluster.id, s) },
          q.page,
        ),
    );
  }

  async explain(p: Principal, q: ExplainQuery): Promise<ExplainAnswer> {
    const cluster = await visibleCluster(this.lookups.clusters, p, q.cluster);
    const src = required(q.src, 'src');
    const dst = required(q.dst, 'dst');
    const snapshot = await this.snapshotAt(cluster, q.at);
    return this.answer(['explain', cluster.id, snapshot.id, src, dst, q.port ?? null], async () => {
      const [reach, objects] = await Promise.all([
        this.data.recomputed(cluster.id, snapshot),
        this.data.objectsAt(cluster.id, snapshot),
      ]);
      const answer = explainAnswer(reach, { src, dst, ...(q.port == null ? {} : { port: q.port }) }, cluster, snapshot);
      // The admin tiers' own qualifications (domainNames, nodes, same priorities, …); ipBlock
      // coverage of pods is left out: the rebuilt pods hold stand-in addresses, not the real ones.
      const recomputed = reach.warnings.filter((w) => w.code.startsWith('admin-')).map((w) => w.message);
      return withWarnings(answer, [...historyWarnings(objects, snapshot), ...recomputed]);
    });
  }

  async exposure(p: Principal, q: ExposureQuery): Promise<ExposureAnswer> {
    const cluster = await visibleCluster(this.lookups.clusters, p, q.cluster);
    const snapshot = await this.snapshotAt(cluster, q.at);
    const since = q.since === undefined || q.since === null ? null : await this.snapshotAt(cluster, q.since, 'since');
    if (since && since.takenAt > snapshot.takenAt) {
      throw new ServiceError('BAD_USER_INPUT', `since (${describe(since)}) is after at (${describe(snapshot)})`);
    }
    return this.answer(['exposure', cluster.id, snapshot.id, since?.id ?? null], async () => {
      const [stored, objects] = await Promise.all([
        this.data.reach(cluster.id, snapshot),
        this.data.objectsAt(cluster.id, snapshot),
      ]);
      const answer = withWarnings(
        exposureAnswer(stored, objects, cluster, snapshot),
        historyWarnings(objects, snapshot),
      );
      if (since) {
        const [then, events] = await Promise.all([
          this.data.reach(cluster.id, since),
          this.events.between(cluster.id, since.id, snapshot.id, { namespace: null, workload: null }),
        ]);
        answer.netChanges = outsideNetChanges(then, stored, events, snapshot);
      }
      return answer;
    });
  }

  async workloads(p: Principal, q: ListQuery): Promise<Page<WorkloadInfo>> {
    const cluster = await visibleCluster(this.lookups.clusters, p, q.cluster);
    const snapshot = await this.snapshotAt(cluster, q.at);
    return workloadPage(await this.data.objectsAt(cluster.id, snapshot), q.namespace ?? undefined, q.page);
  }

  async policies(p: Principal, q: ListQuery): Promise<Page<PolicyInfo>> {
    const cluster = await visibleCluster(this.lookups.clusters, p, q.cluster);
    const snapshot = await this.snapshotAt(cluster, q.at);
    return policyPage(await this.data.objectsAt(cluster.id, snapshot), q.namespace ?? undefined, q.page);
  }

  async matrix(p: Principal, q: MatrixQuery): Promise<MatrixAnswer> {
    const cluster = await visibleCluster(this.lookups.clusters, p, q.cluster);
    const snapshot = await this.snapshotAt(cluster, q.at);
    const scope = {
      ...(q.namespace == null ? {} : { namespace: q.namespace }),
      ...(q.selector == null ? {} : { selector: q.selector }),
    };
    return this.answer(['matrix', cluster.id, snapshot.id, scope], async () => {
      const peers = matrixPeers(await this.data.objectsAt(cluster.id, snapshot), scope, describe(snapshot));
      return matrixAnswer(await this.data.reach(cluster.id, snapshot), peers, cluster, snapshot);
    });
  }

  async namespaceMatrix(p: Principal, q: NamespaceMatrixQuery): Promise<NamespaceMatrixAnswer> {
    const cluster = await visibleCluster(this.lookups.clusters, p, q.cluster);
    const cell = cellOf(q);
    const snapshot = await this.snapshotAt(cluster, q.at);
    return this.answer(['namespaceMatrix', cluster.id, snapshot.id, cell], async () =>
      namespaceMatrixAnswer(await this.data.reach(cluster.id, snapshot), cluster, snapshot, cell, describe(snapshot)),
    );
  }
}

/** The answer with its qualifications, when it has any (the field is absent otherwise). */
function withWarnings<T extends { warnings?: string[] }>(answer: T, warnings: string[]): T {
  return warnings.length === 0 ? answer : { ...answer, warnings };
}

/** The service REST and GraphQL share, over one pg pool. */
export function createQueryService(pool: pg.Pool, options: QueryServiceOptions = {}): QueryService {
  return new PgQueryService(pool, options);
}
