import {
  compareConnections,
  describeAddresses,
  netChangesWithOutside,
  type StoredReachability,
} from '../../engine/index.js';
import { datedNetChanges } from './net-change-answer.js';
import { pageInMemory } from './page.js';
import { toPortRanges } from './port-ranges.js';
import type { ObjectRef, Page, PageArgs, ReachChange } from './query-service.js';
import { toChange } from './reach-answer.js';
import {
  pairKey,
  type ExposureEventsRepository,
  type StoredConnectionChange,
} from '../../store/exposure-events.repository.js';
import type { ClusterKey, ReadableSnapshot } from './snapshot-resolver.js';

export interface DiffContext {
  cluster: ClusterKey;
  from: ReadableSnapshot;
  to: ReadableSnapshot;
  filter: { namespace: string | null; workload: string | null };
  events: ExposureEventsRepository;
  /** The stored result at a snapshot (loaded only when a pair changed more than once). */
  reachAt: (s: ReadableSnapshot) => Promise<StoredReachability>;
}

/** Causes of several steps, once each (the latest version of an object wins). */
function mergeCauses(rows: readonly StoredConnectionChange[]): ObjectRef[] {
  const byObject = new Map<string, ObjectRef>();
  for (const r of rows) for (const c of r.causes) byObject.set(`${c.kind}\n${c.key}`, c);
  return [...byObject.values()];
}

const isOutside = (id: string) => id.startsWith('ip:');

/**
 * Connection changes between two snapshots, one per (src, dst) pair. A pair changed once is its event as stored; a pair changed several times is
 * ambiguous step by step, so its net change is read from the two stored results, dated by its
 * last event and blamed on the objects of all its events. A pair that came back to where it
 * was is no change. Outside addresses are always read from the two results: events name them
 * as each step's ipBlocks cut them, so grouping events by id would give overlapping entries
 * with step states for before/after.
 */
export async function diffAnswer(ctx: DiffContext, page?: PageArgs): Promise<Page<ReachChange>> {
  const rows = await ctx.events.between(ctx.cluster.id, ctx.from.id, ctx.to.id, ctx.filter);
  const outsideEvents = rows.filter((r) => isOutside(r.src) !== isOutside(r.dst));
  const byPair = new Map<string, StoredConnectionChange[]>();
  for (const r of rows.filter((r) => isOutside(r.src) === isOutside(r.dst))) {
    const key = pairKey(r.src, r.dst);
    byPair.set(key, [...(byPair.get(key) ?? []), r]);
  }
  const changes: ReachChange[] = [];
  let before: StoredReachability | undefined;
  let after: StoredReachability | undefined;
  for (const steps of byPair.values()) {
    if (steps.length === 1) {
      changes.push(toChange(steps[0]!));
      continue;
    }
    before ??= await ctx.reachAt(ctx.from);
    after ??= await ctx.reachAt(ctx.to);
    const last = steps[steps.length - 1]!;
    const net = compareConnections(
      last.src,
      last.dst,
      before.view.allowed(last.src, last.dst),
      after.view.allowed(last.src, last.dst),
    );
    if (!net) continue;
    changes.push({
      change: net.change,
      src: net.src,
      dst: net.dst,
      srcText: describeAddresses(net.src),
      dstText: describeAddresses(net.dst),
      before: toPortRanges(net.before),
      after: toPortRanges(net.after),
      snapshotId: last.snapshotId,
      takenAt: last.takenAt.toISOString(),
      causes: mergeCauses(steps),
    });
  }
  if (outsideEvents.length > 0) {
    before ??= await ctx.reachAt(ctx.from);
    after ??= await ctx.reachAt(ctx.to);
    const into = new Set(outsideEvents.filter((r) => isOutside(r.src)).map((r) => r.dst));
    const from = new Set(outsideEvents.filter((r) => isOutside(r.dst)).map((r) => r.src));
    const net = [
      ...[...into].flatMap((w) => netChangesWithOutside(before!.view, after!.view, w, 'in')),
      ...[...from].flatMap((w) => netChangesWithOutside(before!.view, after!.view, w, 'out')),
    ];
    changes.push(...datedNetChanges(net, outsideEvents, ctx.to));
  }
  return pageInMemory('diff', changes, page, 2, (c) => [c.src, c.dst]);
}
