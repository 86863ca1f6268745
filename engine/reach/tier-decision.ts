import type { NamedPort } from '../model/cluster.js';
import { ConnectionSet } from '../sets/connection-set.js';
import type { TierEntry } from './node-rules.js';

/** What the Admin tier made of one direction of one pair: allowed, and what goes on (passed or unmatched). */
export interface AdminOutcome {
  allowed: ConnectionSet;
  undecided: ConnectionSet;
}

/** No Admin-tier rule for this direction: nothing decided. */
export const UNTOUCHED: AdminOutcome = { allowed: ConnectionSet.none, undecided: ConnectionSet.all };

/**
 * The Admin tier's entries in order split the connections into allowed, denied and passed:
 * first match wins; Pass and no match go on to the next tier.
 */
export function walkAdminTier(
  admin: readonly TierEntry[] | null | undefined,
  other: number,
  destinationPorts: readonly NamedPort[],
): AdminOutcome {
  if (!admin) return UNTOUCHED;
  let allowed = ConnectionSet.none;
  let undecided = ConnectionSet.all;
  let open = ConnectionSet.all;
  for (const e of admin) {
    if (!e.peer.has(other)) continue;
    const matched = open.intersect(e.ports.resolve(destinationPorts));
    if (matched.isEmpty()) continue;
    open = open.subtract(matched);
    if (e.action === 'Allow') allowed = allowed.union(matched);
    if (e.action !== 'Pass') undecided = undecided.subtract(matched);
    if (open.isEmpty()) break;
  }
  return { allowed, undecided };
}

/**
 * One direction NetworkPolicy isolates: it decides what the Admin tier's outcome left
 * (`networkPolicy` being what it allows in this direction).
 */
export function pastNetworkPolicy(admin: AdminOutcome, networkPolicy: ConnectionSet): ConnectionSet {
  return admin.allowed.union(admin.undecided.intersect(networkPolicy));
}

/**
 * One direction NetworkPolicy does not isolate: the Baseline tier's entries decide what the
 * Admin tier's outcome left, and what they leave is allowed (the Kubernetes default). A
 * Baseline Pass hands over to that default: allowed.
 */
export function pastBaseline(
  admin: AdminOutcome,
  baseline: readonly TierEntry[] | null | undefined,
  other: number,
  destinationPorts: readonly NamedPort[],
): ConnectionSet {
  const { allowed, undecided } = admin;
  if (undecided.isEmpty()) return allowed;
  if (!baseline) return allowed.union(undecided);
  let open = undecided;
  let granted = allowed;
  for (const e of baseline) {
    if (!e.peer.has(other)) continue;
    const matched = open.intersect(e.ports.resolve(destinationPorts));
    if (matched.isEmpty()) continue;
    open = open.subtract(matched);
    if (e.action !== 'Deny') granted = granted.union(matched);
    if (open.isEmpty()) break;
  }
  return granted.union(open);
}
