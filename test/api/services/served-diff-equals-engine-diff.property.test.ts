import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fromPortRanges } from '../../../api/services/port-ranges.js';
import { createQueryService } from '../../../api/services/postgres-query-service.js';
import type { QueryService, ReachChange } from '../../../api/services/query-service.js';
import {
  ALL_V4,
  ALL_V6,
  buildCluster,
  compareConnections,
  ConnectionSet,
  computeReachability,
  diffConnections,
  IntervalSet,
  outsidePeerAddresses,
  toCidrs,
  type AddressSet,
  type RawObject,
  type Reachability,
} from '../../../engine/index.js';
import { ClustersRepository } from '../../../store/clusters.repository.js';
import { objectItems } from '../../../store/history/objects.js';
import { storeSnapshot } from '../../../worker/snapshot/store-snapshot.js';
import { adminTiers, tieredBodies, type TieredCase } from '../../support/arbitrary-admin-policies.js';
import { cluster, PORT_NUMBERS } from '../../support/arbitrary-cluster.js';
import { edited, ipRuleEdit, lifecycleEdit, podEdit, podIpEdit, policyEdit } from '../../support/arbitrary-edits.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { READER } from '../demo-history.js';

/**
 * The law of issue 10, through the store: for a random history of 3–4 snapshots written the way
 * the worker writes them, the served `diff(a, c)` equals the engine's diff of the two snapshots'
 * results computed from the objects (outside addresses compared address by address, each in at
 * most one entry per workload and direction); who-can-reach's and what-can-reach's net changes
 * since `a` equal it restricted to the target; exposure's equals its outside sources. Every net
 * change is dated by the last step that changed it and blamed on objects changed on the way.
 */

const NOW = new Date('2025-06-01T12:00:00.000Z');
const outside = (peer: string) => peer.startsWith('ip:');
const FAMILIES = [
  ['IPv4', ALL_V4],
  ['IPv6', ALL_V6],
] as const;

// ---- histories: a tiered cluster, then 2–3 steps of edits (admin tiers now and then replaced) ----

const noAdmin = { policies: [], baseline: undefined };
const step = fc.record({
  edits: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: ipRuleEdit },
      { weight: 3, arbitrary: policyEdit },
      { weight: 1, arbitrary: podEdit },
      { weight: 1, arbitrary: podIpEdit },
      { weight: 1, arbitrary: lifecycleEdit },
    ),
    { minLength: 1, maxLength: 3 },
  ),
  admin: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: adminTiers }),
});
const history = fc.record({
  start: fc.record({
    cluster,
    admin: fc.oneof({ weight: 2, arbitrary: fc.constant(noAdmin) }, { weight: 1, arbitrary: adminTiers }),
  }),
  steps: fc.array(step, { minLength: 2, maxLength: 3 }),
});
type History = typeof history extends fc.Arbitrary<infer H> ? H : never;

function versionsOf(h: History): TieredCase[] {
  const versions: TieredCase[] = [h.start as TieredCase];
  for (const s of h.steps) {
    const last = versions[versions.length - 1]!;
    versions.push({ cluster: edited(last.cluster, s.edits), admin: s.admin ?? last.admin });
  }
  return versions;
}

const rawObjects = (c: TieredCase): RawObject[] =>
  tieredBodies(c).map((body, i) => ({ source: { file: '<history>', doc: i + 1 }, body }));

/** What the engine says of one version, straight from its objects, as the worker computes it. */
function engineSide(c: TieredCase) {
  const raw = rawObjects(c);
  const built = buildCluster(raw, { acceptedByApiServer: false });
  const objects = new Map(objectItems(built, raw, built.errors).map((i) => [`${i.kind}\n${i.key}`, i.hash]));
  return { reach: computeReachability(built), objects };
}
type Version = ReturnType<typeof engineSide>;

// ---- net changes in one comparable shape ----

/** A workload's outside counterparts in one direction: `in` (outside is src) or `out`. */
type Direction = 'in' | 'out';

/**
 * Changes as comparable lines: workload pairs as they are; outside addresses per workload,
 * direction, address family and (before, after), their address sets united. So two answers that
 * cut the same addresses differently but treat each address alike read the same.
 */
class NetLines {
  private readonly inside: string[] = [];
  private readonly outsideByKey = new Map<string, { head: string; addresses: AddressSet }>();

  addPair(src: string, dst: string, before: ConnectionSet, after: ConnectionSet): void {
    const c = compareConnections(src, dst, before, after);
    if (c) this.inside.push(`${src} -> ${dst}: ${c.change} ${before} => ${after}`);
  }

  addOutside(w: string, dir: Direction, addresses: AddressSet, before: ConnectionSet, after: ConnectionSet): void {
    const c = compareConnections('ip:', w, before, after);
    if (!c) return;
    for (const [family, all] of FAMILIES) {
      const piece = addresses.intersect(all);
      if (piece.isEmpty()) continue;
      const head = `${w} ${dir} ${family}: ${c.change} ${before} => ${after}`;
      const kept = this.outsideByKey.get(head);
      this.outsideByKey.set(head, { head, addresses: kept ? kept.addresses.union(piece) : piece });
    }
  }

  lines(keep: (l: { src: string; dst: string }) => boolean = () => true): string[] {
    const inside = this.inside.filter((l) => {
      const [src, dst] = l.split(': ')[0]!.split(' -> ');
      return keep({ src: src!, dst: dst! });
    });
    const out = [...this.outsideByKey.values()]
      .filter(({ head }) => {
        const [w, dir] = head.split(' ');
        return dir === 'in' ? keep({ src: 'ip:', dst: w! }) : keep({ src: w!, dst: 'ip:' });
      })
      .map(({ head, addresses }) => `${head} [${toCidrs(addresses).join(',')}]`);
    return [...inside, ...out].sort();
  }
}

/**
 * The engine's diff of two results: the merge-join for workload pairs, the refined partitions
 * for outside addresses; with `only`, on those connections alone (a port asked for).
 */
function engineDiff(a: Reachability, c: Reachability, only: ConnectionSet | null = null): NetLines {
  const net = new NetLines();
  const kept = (set: ConnectionSet) => (only ? set.intersect(only) : set);
  for (const x of diffConnections(a.connections(), c.connections())) {
    if (!outside(x.src) && !outside(x.dst)) net.addPair(x.src, x.dst, kept(x.before), kept(x.after));
  }
  const workloads = [...new Set([...a.peerIds(), ...c.peerIds()])].filter((p) => !outside(p));
  for (const ga of a.partition.groups) {
    for (const gc of c.partition.groups) {
      const common = ga.addresses.intersect(gc.addresses);
      if (common.isEmpty()) continue;
      for (const w of workloads) {
        net.addOutside(w, 'in', common, kept(a.allowed(ga.id, w)), kept(c.allowed(gc.id, w)));
        net.addOutside(w, 'out', common, kept(a.allowed(w, ga.id)), kept(c.allowed(w, gc.id)));
      }
    }
  }
  return net;
}

/** A served answer's changes as lines, after checking each outside address is in at most one entry. */
function servedLines(changes: readonly ReachChange[]): string[] {
  const net = new NetLines();
  const seen = new Map<string, AddressSet>();
  for (const ch of changes) {
    const before = fromPortRanges(ch.before);
    const after = fromPortRanges(ch.after);
    expect(ch.change, `${ch.src} -> ${ch.dst}`).toBe(compareConnections(ch.src, ch.dst, before, after)?.change);
    if (!outside(ch.src) && !outside(ch.dst)) {
      net.addPair(ch.src, ch.dst, before, after);
      continue;
    }
    const [w, dir, id] = outside(ch.src) ? [ch.dst, 'in' as const, ch.src] : [ch.src, 'out' as const, ch.dst];
    const addresses = outsidePeerAddresses(id)!;
    const families = FAMILIES.filter(([, all]) => !addresses.intersect(all).isEmpty());
    expect(families.length, `${id}: one address family per entry`).toBe(1);
    const key = `${w} ${dir}`;
    const earlier = seen.get(key) ?? IntervalSet.empty<bigint>();
    expect(toCidrs(earlier.intersect(addresses)), `${key}: addresses in two entries`).toEqual([]);
    seen.set(key, earlier.union(addresses));
    net.addOutside(w, dir, addresses, before, after);
  }
  return net.lines();
}

// ---- dating and causes, from every version in between ----

/** The steps (indices into versions) in (from, to] that changed what the change is about. */
function stepsChanging(ch: ReachChange, versions: readonly Version[], from: number, to: number): number[] {
  const steps: number[] = [];
  for (let s = from + 1; s <= to; s++) {
    const [was, now] = [versions[s - 1]!.reach, versions[s]!.reach];
    if (!outside(ch.src) && !outside(ch.dst)) {
      if (!was.allowed(ch.src, ch.dst).equals(now.allowed(ch.src, ch.dst))) steps.push(s);
      continue;
    }
    const [w, id] = outside(ch.src) ? [ch.dst, ch.src] : [ch.src, ch.dst];
    const allowed = (r: Reachability, g: string) => (outside(ch.src) ? r.allowed(g, w) : r.allowed(w, g));
    const addresses = outsidePeerAddresses(id)!;
    const changed = was.partition.groups.some((g1) =>
      now.partition.groups.some(
        (g2) =>
          !g1.addresses.intersect(g2.addresses).intersect(addresses).isEmpty() &&
          !allowed(was, g1.id).equals(allowed(now, g2.id)),
      ),
    );
    if (changed) steps.push(s);
  }
  return steps;
}

/** Dated by the last step that changed it; blamed on objects (at the version they took) changed by some step. */
function expectDatedAndBlamed(
  changes: readonly ReachChange[],
  versions: readonly Version[],
  ids: readonly number[],
  from: number,
  to: number,
): void {
  for (const ch of changes) {
    const what = `${ch.src} -> ${ch.dst} (${ids[from]}..${ids[to]})`;
    const steps = stepsChanging(ch, versions, from, to);
    expect(steps.length, `${what}: some step changed it`).toBeGreaterThan(0);
    expect(ch.snapshotId, `${what}: dated by its last step`).toBe(ids[steps[steps.length - 1]!]);
    expect(ch.causes.length, `${what}: has causes`).toBeGreaterThan(0);
    for (const cause of ch.causes) {
      const key = `${cause.kind}\n${cause.key}`;
      const changedThere = steps.some(
        (s) =>
          (versions[s]!.objects.get(key) ?? null) === cause.hash &&
          versions[s - 1]!.objects.get(key) !== versions[s]!.objects.get(key),
      );
      expect(changedThere, `${what}: cause ${cause.kind} ${cause.key} changed to ${cause.hash} by a step`).toBe(true);
    }
  }
}

// ---- the database, shared by the runs (a cluster per run) ----

let database: TestDatabase;
let pool: pg.Pool;
let service: QueryService;
let clusters: ClustersRepository;
let serial = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = database.pool();
  clusters = new ClustersRepository(pool);
  service = createQueryService(pool, { now: () => NOW });
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

/** Stores the versions as a new cluster's snapshots, an hour apart, through the worker's own write path. */
async function store(versions: readonly TieredCase[]): Promise<{ name: string; ids: number[] }> {
  const name = `history-${++serial}`;
  const row = await clusters.add(name, { kind: 'manifests', dir: '/nonexistent' }, 3600);
  const ids: number[] = [];
  for (const [i, v] of versions.entries()) {
    const takenAt = new Date(NOW.getTime() - (versions.length - i) * 3_600_000);
    ids.push((await storeSnapshot(pool, row.id, rawObjects(v), { takenAt })).snapshotId);
  }
  return { name, ids };
}

type DiffArgs = { cluster: string; from: string; to: string; namespace?: string; workload?: string };

/** Every page of a diff, `limit` at a time. */
async function servedDiff(q: DiffArgs, limit = 1000) {
  const items: ReachChange[] = [];
  let cursor: string | null = null;
  do {
    const page = await service.diff(READER, { ...q, page: { limit, cursor } });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const namespaceOf = (peer: string) => peer.split('/')[0];

describe('stored history: served net changes equal the engine diff of the two snapshots', () => {
  test('diff(a, c), who-can-reach / what-can-reach since a, and exposure since a equal the engine diff of the objects at a and c (restricted to the target), dated by the last step and blamed on changed objects', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        const cases = versionsOf(h);
        const versions = cases.map(engineSide);
        const { name, ids } = await store(cases);
        for (let a = 0; a < versions.length; a++) {
          for (let c = a + 1; c < versions.length; c++) {
            const [from, to] = [`snapshot:${ids[a]}`, `snapshot:${ids[c]}`];
            const expected = engineDiff(versions[a]!.reach, versions[c]!.reach);

            const diff = await servedDiff({ cluster: name, from, to });
            expect(servedLines(diff), `diff ${from} → ${to}`).toEqual(expected.lines());
            expectDatedAndBlamed(diff, versions, ids, a, c);
            // Paged a few at a time, the same changes in the same order.
            expect(await servedDiff({ cluster: name, from, to }, 3)).toEqual(diff);

            const exposure = await service.exposure(READER, { cluster: name, at: to, since: from });
            expect(servedLines(exposure.netChanges!), `exposure since ${from}`).toEqual(
              expected.lines((p) => outside(p.src)),
            );
            expectDatedAndBlamed(exposure.netChanges!, versions, ids, a, c);

            const targets = versions[c]!.reach.peerIds().filter((p) => !outside(p));
            for (const w of targets) {
              const q = { cluster: name, at: to, since: from };
              const who = await service.whoCanReach(READER, { ...q, target: w });
              expect(servedLines(who.netChanges!), `who-can-reach ${w}`).toEqual(expected.lines((p) => p.dst === w));
              const what = await service.whatCanReach(READER, { ...q, source: w });
              expect(servedLines(what.netChanges!), `what-can-reach ${w}`).toEqual(expected.lines((p) => p.src === w));
            }

            // The diff's filters keep the pairs with a side in the namespace, or the workload;
            // a port asked for keeps those connections.
            const w = targets[(a + c) % Math.max(1, targets.length)];
            if (w) {
              const port = PORT_NUMBERS[(a + 2 * c) % PORT_NUMBERS.length]!;
              const onPort = engineDiff(versions[a]!.reach, versions[c]!.reach, ConnectionSet.ports('TCP', port));
              const q = { cluster: name, at: to, since: from, port: `${port}/TCP` };
              const who = await service.whoCanReach(READER, { ...q, target: w });
              expect(servedLines(who.netChanges!), `who-can-reach ${w} on ${port}`).toEqual(
                onPort.lines((p) => p.dst === w),
              );
              const what = await service.whatCanReach(READER, { ...q, source: w });
              expect(servedLines(what.netChanges!), `what-can-reach ${w} on ${port}`).toEqual(
                onPort.lines((p) => p.src === w),
              );
              const ns = namespaceOf(w)!;
              const byWorkload = await servedDiff({ cluster: name, from, to, workload: w });
              expect(servedLines(byWorkload), `diff for ${w}`).toEqual(
                expected.lines((p) => p.src === w || p.dst === w),
              );
              const byNamespace = await servedDiff({ cluster: name, from, to, namespace: ns });
              expect(servedLines(byNamespace), `diff for namespace ${ns}`).toEqual(
                expected.lines((p) => [p.src, p.dst].some((x) => !outside(x) && namespaceOf(x) === ns)),
              );
            }
          }
        }
      }),
      { numRuns: 15, seed: 20_261_202 },
    );
  }, 600_000);
});
