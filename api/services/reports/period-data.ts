import type pg from 'pg';
import {
  parseSelectorText,
  SelectorTextError,
  type LabelSelector,
  type StoredReachability,
} from '../../../engine/index.js';
import {
  ExposureEventsRepository,
  pairKey,
  type StoredConnectionChange,
} from '../../../store/exposure-events.repository.js';
import { ReportHistoryRepository, type VersionSpan } from '../../../store/report-history.repository.js';
import { SnapshotsRepository } from '../../../store/snapshots.repository.js';
import { VersionsRepository } from '../../../store/versions.repository.js';
import { OBJECT_KINDS, type StoredWorkload } from '../../../store/history/objects.js';
import { ServiceError } from '../query-service.js';
import { SnapshotData } from '../snapshot-data.js';
import type { ClusterKey, ReadableSnapshot } from '../snapshot-resolver.js';
import { pairSpans, type InitialPair, type PairSpan } from './pair-timeline.js';
import { checkPeriod, intersectSpans, mergeSpans, Period, type IdSpan } from './period.js';
import { reachlogVersion, type Evidence, type ReportScope } from './report.js';

/** The repositories a report reads through (one pool). */
export class ReportReads {
  readonly history: ReportHistoryRepository;
  readonly snapshots: SnapshotsRepository;
  readonly events: ExposureEventsRepository;
  readonly data: SnapshotData;

  constructor(pool: pg.Pool) {
    this.history = new ReportHistoryRepository(pool);
    this.snapshots = new SnapshotsRepository(pool);
    this.events = new ExposureEventsRepository(pool);
    this.data = new SnapshotData(new VersionsRepository(pool), 2);
  }
}

/** Where each in-force workload's pods were not isolated (ingress / egress), in snapshot ids. */
export interface IsolationGaps {
  ingressOpen: IdSpan[];
  egressOpen: IdSpan[];
}

function selector(text: string | undefined, field: string): LabelSelector | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseSelectorText(text);
  } catch (e) {
    if (e instanceof SelectorTextError)
      throw new ServiceError('BAD_USER_INPUT', `${field} ${JSON.stringify(text)}: ${e.message}`);
    throw e;
  }
}

/**
 * One cluster's history over a report's period, read once and shared by the report types:
 * the objects in force, the engine's stored result at the start, and the stored changes since.
 */
export class PeriodData {
  private readonly spans = new Map<string, Promise<VersionSpan[]>>();
  private reachAtStart: Promise<StoredReachability> | undefined;

  private constructor(
    private readonly reads: ReportReads,
    readonly cluster: ClusterKey,
    readonly period: Period,
  ) {}

  static async load(reads: ReportReads, cluster: ClusterKey, from: Date, to: Date): Promise<PeriodData> {
    checkPeriod(from, to);
    const before = await reads.snapshots.atOrBefore(cluster.id, from);
    const snapshots = await reads.history.snapshotsBetween(cluster.id, from, to, before?.id ?? null);
    const inPeriod = snapshots.filter((s) => s.takenAt >= from);
    const firstId = before?.id ?? inPeriod.find((s) => s.status !== 'failed')?.id;
    const last = await reads.snapshots.atOrBefore(cluster.id, to);
    if (firstId === undefined || !last) {
      throw new ServiceError(
        'NOT_FOUND',
        `cluster ${cluster.name} has no successful snapshot at or before ${to.toISOString()}: nothing to report on`,
      );
    }
    const first = (await reads.snapshots.byId(cluster.id, firstId))!;
    return new PeriodData(reads, cluster, new Period(from, to, first, last, snapshots));
  }

  /** Versions of `kinds` in force during the period (bodies always: scope and audits read them). */
  objectSpans(kinds: readonly string[]): Promise<VersionSpan[]> {
    const key = [...kinds].sort().join(',');
    let loaded = this.spans.get(key);
    if (!loaded) {
      loaded = this.reads.history.objectSpans(this.cluster.id, this.period.first.id, this.period.last.id, kinds, true);
      this.spans.set(key, loaded);
    }
    return loaded;
  }

  /** The engine's stored result in force when the period began. */
  startReach(): Promise<StoredReachability> {
    this.reachAtStart ??= this.reads.data.reach(this.cluster.id, this.period.first as ReadableSnapshot);
    return this.reachAtStart;
  }

  /**
   * Workloads in force at some point of the period that the scope takes in: namespaces by name,
   * namespace labels (any version in force), pod labels (any variant of any version).
   */
  async scopedWorkloads(
    scope: ReportScope,
  ): Promise<{ workloads: Map<string, StoredWorkload>; namespaces: Set<string> }> {
    const nsSelector = selector(scope.namespaceSelector, 'namespaceSelector');
    const wlSelector = selector(scope.workloadSelector, 'workloadSelector');
    const names = scope.namespaces && scope.namespaces.length > 0 ? new Set(scope.namespaces) : undefined;
    const [namespaces, workloads] = await Promise.all([
      this.objectSpans(['Namespace']),
      this.objectSpans(['Workload']),
    ]);
    const nsIn = new Set<string>();
    for (const ns of namespaces) {
      if (names && !names.has(ns.key)) continue;
      const labels = (ns.body as { labels?: Record<string, string> }).labels ?? {};
      if (nsSelector && !nsSelector.matches(labels)) continue;
      nsIn.add(ns.key);
    }
    const chosen = new Map<string, StoredWorkload>();
    for (const w of workloads) {
      const body = w.body as Omit<StoredWorkload, 'id'>;
      if (!nsIn.has(body.namespace)) continue;
      if (wlSelector && !body.variants.some((v) => wlSelector.matches(v.labels))) continue;
      chosen.set(w.key, { id: w.key, ...body });
    }
    return { workloads: chosen, namespaces: nsIn };
  }

  /** Who could reach each of `dsts`, when and on what, over the period (sources of every kind). */
  async incoming(dsts: readonly string[]): Promise<PairSpan[]> {
    const reach = await this.startReach();
    const initial: InitialPair[] = [];
    const columns = reach.view.incomingOfMany(dsts);
    for (const dst of dsts) {
      for (const c of columns.get(dst) ?? []) initial.push({ src: c.src, dst, allowed: c.allowed.toRanges() });
    }
    const changes = await this.reads.events.forPeers(
      this.cluster.id,
      'dst',
      dsts,
      this.period.first.id,
      this.period.last.id,
    );
    return pairSpans(this.period.first.id, initial, changes);
  }

  /**
   * When access that was in force at the period's start began: the pair's last `added` change
   * at or before it, else the cluster's first snapshot (it has been there since history began).
   */
  async accessBegan(
    pairs: readonly { src: string; dst: string }[],
  ): Promise<(pair: { src: string; dst: string }) => Date> {
    const [added, baseline] = await Promise.all([
      this.reads.events.lastAdded(this.cluster.id, pairs, this.period.first.id),
      this.reads.snapshots.first(this.cluster.id),
    ]);
    return (pair) => added.get(pairKey(pair.src, pair.dst))?.takenAt ?? baseline!.takenAt;
  }

  /** Every stored connection change in the period (policy audits attribute them to objects). */
  changes(): Promise<StoredConnectionChange[]> {
    return this.reads.events.between(this.cluster.id, this.period.first.id, this.period.last.id, {
      namespace: null,
      workload: null,
    });
  }

  /** When each workload's pods were not isolated, from the stored pod classes (their ingress/egress null). */
  async isolationGaps(): Promise<Map<string, IsolationGaps>> {
    const { nodes, workloads } = await this.reads.history.isolationSpans(
      this.cluster.id,
      this.period.first.id,
      this.period.last.id,
    );
    const byKey = new Map<string, typeof nodes>();
    for (const n of nodes) byKey.set(n.key, [...(byKey.get(n.key) ?? []), n]);
    const gaps = new Map<string, IsolationGaps>();
    for (const w of workloads) {
      const g = gaps.get(w.key) ?? { ingressOpen: [], egressOpen: [] };
      const wSpan = { from: w.validFrom, to: w.validTo };
      for (const key of w.body) {
        for (const n of byKey.get(key) ?? []) {
          const both = intersectSpans(wSpan, { from: n.validFrom, to: n.validTo });
          if (!both) continue;
          if (!n.ingressIsolated) g.ingressOpen.push(both);
          if (!n.egressIsolated) g.egressOpen.push(both);
        }
      }
      gaps.set(w.key, g);
    }
    for (const g of gaps.values()) {
      g.ingressOpen = mergeSpans(g.ingressOpen.filter((s) => this.period.overlaps(s)));
      g.egressOpen = mergeSpans(g.egressOpen.filter((s) => this.period.overlaps(s)));
    }
    return gaps;
  }

  /** Problems a reader must know before trusting "throughout": gaps in history, failed collections. */
  qualifications(): string[] {
    const p = this.period;
    const out = [
      'Between two snapshots nothing was observed: "throughout" means at every snapshot in force during the period.',
    ];
    if (p.coveredFrom > p.from) {
      out.push(
        `History of ${this.cluster.name} begins at ${p.coveredFrom.toISOString()}, after the period's start ` +
          `(${p.from.toISOString()}): nothing is known of the time before it, and the report covers ${p.coveredFrom.toISOString()} onwards only.`,
      );
    }
    const failed = p.snapshots.filter((s) => s.status === 'failed');
    if (failed.length > 0) {
      out.push(
        `${failed.length} collection(s) failed in the period (first at ${failed[0]!.takenAt.toISOString()}): ` +
          'the state then is taken as the last one read, which may be wrong (see collection problems).',
      );
    }
    if (p.last.takenAt < p.to) {
      out.push(
        `The last snapshot in the period was taken at ${p.last.takenAt.toISOString()}; its state is taken to hold until ${p.to.toISOString()}.`,
      );
    }
    return out;
  }

  /** The evidence block: the snapshots read, the objects analysed (those `keep` accepts), and collection problems. */
  async evidence(keep: (kind: string, key: string) => boolean): Promise<Evidence> {
    const p = this.period;
    const objects = await this.objectSpans(OBJECT_KINDS);
    const read = p.snapshots.filter(
      (s) => s.id === p.first.id || (s.status === 'changed' && s.id > p.first.id && s.id <= p.last.id),
    );
    return {
      cluster: this.cluster.name,
      period: { from: p.from.toISOString(), to: p.to.toISOString(), coveredFrom: p.coveredFrom.toISOString() },
      snapshots: read.map((s) => ({
        id: s.id,
        takenAt: s.takenAt.toISOString(),
        status: s.status,
        contentHash: s.contentHash,
      })),
      unchangedSnapshots: p.snapshots.filter((s) => s.status === 'unchanged').length,
      objects: objects
        .filter((o) => keep(o.kind, o.key))
        .map((o) => ({
          kind: o.kind,
          key: o.key,
          versionId: o.id,
          hash: o.hash,
          validFromSnapshot: o.validFrom,
          validToSnapshot: o.validTo,
        })),
      collectionProblems: collectionProblems(p.snapshots),
      reachlogVersion: reachlogVersion(),
    };
  }
}

/** Each distinct problem once (unchanged snapshots repeat their predecessor's), with when it was first and last met. */
function collectionProblems(snapshots: Period['snapshots']): Evidence['collectionProblems'] {
  const byText = new Map<string, Evidence['collectionProblems'][number]>();
  for (const s of snapshots) {
    const texts = [...(s.error ? [`collection failed: ${s.error}`] : []), ...s.problems];
    for (const problem of texts) {
      const seen = byText.get(problem);
      if (seen) {
        seen.lastSeen = s.takenAt.toISOString();
        seen.snapshots++;
      } else {
        const at = s.takenAt.toISOString();
        byText.set(problem, { problem, firstSnapshotId: s.id, firstSeen: at, lastSeen: at, snapshots: 1 });
      }
    }
  }
  return [...byText.values()];
}
