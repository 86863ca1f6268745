import {
  describeAddresses,
  mergeOutsidePeers,
  netChanges,
  type ConnectionSet,
  type StoredReachability,
} from '../../engine/index.js';
import { datedNetChanges } from './net-change-answer.js';
import { pageInMemory } from './page.js';
import { fromPortRanges, toPortRanges } from './port-ranges.js';
import type { PageArgs, ReachAnswer, ReachChange, ReachEntry } from './query-service.js';
import {
  pairKey,
  type ExposureEventsRepository,
  type StoredConnectionChange,
} from '../../store/exposure-events.repository.js';
import type { ClusterKey, ReadableSnapshot } from './snapshot-resolver.js';
import { toSnapshotSummary } from './summaries.js';
import type { ResolvedTarget } from './target-resolver.js';

/** `in`: who can reach the target; `out`: what the source can reach (both are `target` here). */
export type Direction = 'in' | 'out';

export interface ReachContext {
  cluster: ClusterKey;
  snapshot: ReadableSnapshot;
  stored: StoredReachability;
  target: ResolvedTarget;
  /** Only these connections count (a Service's target ports, a `port` asked for); null: all. */
  filter: ConnectionSet | null;
  /** With `since`: the snapshot changes are counted from. */
  since: ReadableSnapshot | null;
  /** The stored result at a snapshot (the `since` one, for net changes). */
  reachAt: (s: ReadableSnapshot) => Promise<StoredReachability>;
  /** The cluster's first successful snapshot: pairs with no `added` event have been there since. */
  baseline: ReadableSnapshot;
  events: ExposureEventsRepository;
}

type Pending = Omit<ReachEntry, 'since'> & { parts: { src: string; dst: string }[] };

/**
 * Each target workload's connections in the direction asked, restricted to the filter; outside
 * peers a target treats alike merged per address family, as the engine's formats show them.
 */
function entriesOf(direction: Direction, ctx: ReachContext): Pending[] {
  const { view } = ctx.stored;
  const entries: { src: string; dst: string; allowed: ConnectionSet }[] = [];
  for (const target of ctx.target.workloads) {
    const rows =
      direction === 'in'
        ? view.incoming(target).map((c) => ({ src: c.src, dst: target, allowed: c.allowed }))
        : view.outgoing(target).map((r) => ({ src: target, dst: r.dst, allowed: r.allowed }));
    for (const { src, dst, allowed } of rows) {
      const kept = ctx.filter ? allowed.intersect(ctx.filter) : allowed;
      if (!kept.isEmpty()) entries.push({ src, dst, allowed: kept });
    }
  }
  return mergeOutsidePeers(entries).map((m) => ({
    src: m.src,
    dst: m.dst,
    srcText: describeAddresses(m.src),
    dstText: describeAddresses(m.dst),
    allowed: toPortRanges(m.allowed),
    parts: m.parts.map(({ src, dst }) => ({ src, dst })),
  }));
}

/**
 * Since when each pair has had access: its last `added` event at or before the snapshot, else
 * the baseline. A merged outside entry has had access since the latest of its parts.
 */
async function withSince(ctx: ReachContext, items: Pending[]): Promise<ReachEntry[]> {
  const added = await ctx.events.lastAdded(
    ctx.cluster.id,
    items.flatMap((e) => e.parts),
    ctx.snapshot.id,
  );
  const baseline = { snapshotId: ctx.baseline.id, takenAt: ctx.baseline.takenAt };
  return items.map(({ parts, ...e }) => {
    let start = baseline;
    for (const p of parts) {
      const at = added.get(pairKey(p.src, p.dst));
      if (at && at.snapshotId > start.snapshotId) start = at;
    }
    return { ...e, since: { snapshotId: start.snapshotId, takenAt: start.takenAt.toISOString() } };
  });
}

/** A stored event as an answer's change. */
export function toChange(e: StoredConnectionChange): ReachChange {
  return {
    change: e.change,
    src: e.src,
    dst: e.dst,
    srcText: describeAddresses(e.src),
    dstText: describeAddresses(e.dst),
    before: e.before,
    after: e.after,
    snapshotId: e.snapshotId,
    takenAt: e.takenAt.toISOString(),
    causes: e.causes,
  };
}

/**
 * What changed for the target between `since` and the snapshot, on the connections the filter
 * keeps: the events step by step, and each counterpart's net change (from the two results,
 * so a source that changed and changed back has none), dated by its last event.
 */
async function changesOf(
  direction: Direction,
  ctx: ReachContext,
): Promise<{ changes: ReachChange[]; netChanges: ReachChange[] }> {
  const since = ctx.since!;
  const [rows, then] = await Promise.all([
    ctx.events.forPeers(
      ctx.cluster.id,
      direction === 'in' ? 'dst' : 'src',
      ctx.target.workloads,
      since.id,
      ctx.snapshot.id,
    ),
    ctx.reachAt(since),
  ]);
  const filter = ctx.filter;
  const relevant = filter
    ? rows.filter((r) => !fromPortRanges(r.gained).union(fromPortRanges(r.lost)).intersect(filter).isEmpty())
    : rows;
  const net = ctx.target.workloads.flatMap((t) => netChanges(then.view, ctx.stored.view, t, direction, filter));
  return { changes: relevant.map(toChange), netChanges: datedNetChanges(net, relevant, ctx.snapshot) };
}

/** whoCanReach (`in`, paged by src then dst) and whatCanReach (`out`, by dst then src). */
export async function reachAnswer(direction: Direction, ctx: ReachContext, page?: PageArgs): Promise<ReachAnswer> {
  const list = direction === 'in' ? 'whoCanReach' : 'whatCanReach';
  const pending = pageInMemory(list, entriesOf(direction, ctx), page, 2, (e) =>
    direction === 'in' ? [e.src, e.dst] : [e.dst, e.src],
  );
  const answer: ReachAnswer = {
    cluster: ctx.cluster.name,
    snapshot: toSnapshotSummary(ctx.snapshot),
    resolved: {
      workloads: ctx.target.workloads,
      ...(ctx.target.ports ? { ports: toPortRanges(ctx.target.ports) } : {}),
    },
    entries: { ...pending, items: await withSince(ctx, pending.items) },
  };
  if (ctx.since) Object.assign(answer, await changesOf(direction, ctx));
  return answer;
}
