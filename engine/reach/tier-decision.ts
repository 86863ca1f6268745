import type { NamedPort } from '../model/cluster.js';
import { ConnectionSet } from '../sets/connection-set.js';
import type { TierEntry } from './node-rules.js';

/** What the Admin tier made of one direction of one pair: allowed, and what goes on (passed or unmatched). */
export interface AdminOutcome {
  allowed: ConnectionSet;
  undecided: ConnectionSet;
}

const UNTOUCHED: AdminOutcome = { allowed: ConnectionSet.none, undecided: ConnectionSet.all };

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
 * One direction of one pair through the tiers, as connection sets: the Admin tier's outcome;
 * NetworkPolicy decides what is left when it isolates this direction (`networkPolicy`
 * non-null); otherwise the Baseline tier's entries do, and what they leave is allowed (the
 * Kubernetes default). A Baseline Pass hands over to that default: allowed.
 */
export function decideThroughTiers(
  admin: AdminOutcome,
  baseline: readonly TierEntry[] | null | undefined,
  other: number,
  destinationPorts: readonly NamedPort[],
  networkPolicy: () => ConnectionSet | null,
): ConnectionSet {
  const { allowed, undecided } = admin;
  if (undecided.isEmpty()) return allowed;
  const np = networkPolicy();
  if (np) return allowed.union(undecided.intersect(np));
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
