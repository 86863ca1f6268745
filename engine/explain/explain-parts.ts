import type { Reachability } from '../reach/reachability.js';
import { toCidrs, type AddressSet } from '../sets/address-set.js';
import { ConnectionSet, type Protocol } from '../sets/connection-set.js';
import { describeAddresses } from '../sets/describe-addresses.js';
import { IntervalSet } from '../sets/interval-set.js';
import { explain, type Explanation } from './explain.js';
import { addressLabel, type ExplainPeer } from './explain-peer.js';

// Stand-ins for the ends' labels while parts are compared: the reasons name the other end, and
// parts that differ only in that name are explained alike.
const SRC = '\u0000src\u0000';
const DST = '\u0000dst\u0000';

/** Every string in the explanation with the stand-ins replaced by the labels. */
function relabel<T>(value: T, src: string, dst: string): T {
  if (typeof value === 'string') return value.replaceAll(SRC, src).replaceAll(DST, dst) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => relabel(v, src, dst)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relabel(v, src, dst)])) as T;
  }
  return value;
}

function signature(e: Explanation): string {
  return JSON.stringify([e.pairs, e.allowed, e.probe], (_key, v: unknown) =>
    v instanceof ConnectionSet ? v.toString() : v,
  );
}

interface Part {
  explanation: Explanation;
  srcs: ExplainPeer[];
  dsts: ExplainPeer[];
}

const union = (sets: AddressSet[]) => sets.reduce((acc, s) => acc.union(s), IntervalSet.empty<bigint>());

/**
 * One end of a merged part: its id (for addresses, every address that shares this explanation:
 * the outside groups the asked addresses fall in), its label, and those addresses for people
 * when they are wider than asked.
 */
function endOf(reach: Reachability, peers: ExplainPeer[]): { id: string; label: string; alike?: string } {
  const [first] = peers;
  if (!first!.addresses) return { id: first!.id, label: first!.label };
  const asked = union(peers.map((p) => p.addresses!));
  const groups = union(peers.map((p) => reach.partition.groups.find((g) => g.id === p.id)!.addresses));
  const id = peers.length === 1 ? first!.id : `ip:${toCidrs(groups).join(',')}`;
  const alike = describeAddresses(groups);
  const label = addressLabel(asked);
  return alike === describeAddresses(asked) ? { id, label } : { id, label, alike };
}

/**
 * Explains every combination of the ends a peer text stood for (resolveExplainPeer): addresses
 * that straddle outside groups become one part per group, and parts whose explanations are the
 * same apart from the addresses named are merged, so the answer has one part per different
 * treatment, in address order.
 */
export function explainParts(
  reach: Reachability,
  srcs: readonly ExplainPeer[],
  dsts: readonly ExplainPeer[],
  probe?: { protocol: Protocol; port: number },
): Explanation[] {
  const parts = new Map<string, Part>();
  for (const s of srcs) {
    for (const d of dsts) {
      const explanation = explain(reach, { ...s, label: SRC }, { ...d, label: DST }, probe);
      const key = signature(explanation);
      const part = parts.get(key);
      if (!part) parts.set(key, { explanation, srcs: [s], dsts: [d] });
      else {
        if (!part.srcs.includes(s)) part.srcs.push(s);
        if (!part.dsts.includes(d)) part.dsts.push(d);
      }
    }
  }
  // Groups are listed by id (text order); people read addresses in address order.
  const firstAddress = (p: Part) =>
    union([...p.srcs, ...p.dsts].flatMap((e) => (e.addresses ? [e.addresses] : []))).ranges[0]?.[0] ?? 0n;
  const ordered = [...parts.values()].sort((a, b) => {
    const [x, y] = [firstAddress(a), firstAddress(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return ordered.map(({ explanation, srcs: ss, dsts: ds }) => {
    const src = endOf(reach, ss);
    const dst = endOf(reach, ds);
    return {
      ...relabel(explanation, src.label, dst.label),
      src: src.id,
      dst: dst.id,
      srcLabel: src.label,
      dstLabel: dst.label,
      ...(src.alike ? { srcAlike: src.alike } : {}),
      ...(dst.alike ? { dstAlike: dst.alike } : {}),
    };
  });
}
