import type { Prng } from '../generate/prng.js';

/** How a simulated cluster changes over time; stated in the report as it is used. */
export interface ChurnModel {
  snapshotEveryMinutes: number;
  /** Every hour on the hour, this share of workloads rolls out. */
  rolloutFraction: number;
  policyEditsPerDay: number;
  newWorkloadsPerDay: number;
}

export const DEFAULT_CHURN: ChurnModel = {
  snapshotEveryMinutes: 5,
  rolloutFraction: 0.1,
  policyEditsPerDay: 20,
  newWorkloadsPerDay: 5,
};

export interface SlotEvents {
  rollout: boolean;
  policyEdits: number;
  newWorkloads: number;
}

export function describeChurn(m: ChurnModel): string[] {
  return [
    `one snapshot every ${m.snapshotEveryMinutes} minutes (${slotsPerDay(m)} a day), storeSnapshot called for each`,
    `every hour on the hour, ${m.rolloutFraction * 100}% of workloads (Deployments and StatefulSets, picked at random) roll out: ` +
      'a Deployment gets a new ReplicaSet (pod-template-hash) and its pods new names, uids and IPs; ' +
      'a StatefulSet keeps pod names, its pods get new uids, IPs and controller-revision-hash; templates otherwise unchanged',
    `${m.policyEditsPerDay} NetworkPolicy edits a day at random 5-minute slots, each one of: change a port, ` +
      'add a peer to a rule, take a rule out / put it back',
    `${m.newWorkloadsPerDay} new Deployments a day at random slots (1–5 pods, a Service when it has ports, ` +
      'half of them with an allow-from-frontend NetworkPolicy); nothing is ever deleted',
  ];
}

export function slotsPerDay(m: ChurnModel): number {
  return Math.round((24 * 60) / m.snapshotEveryMinutes);
}

/**
 * What happens before each snapshot of one day: rollouts on the hour (not before the very
 * first snapshot, the baseline), edits and new workloads at random slots (two may fall on one).
 */
export function daySchedule(m: ChurnModel, day: number, rng: Prng): SlotEvents[] {
  const slots = slotsPerDay(m);
  const perHour = Math.round(60 / m.snapshotEveryMinutes);
  const events: SlotEvents[] = Array.from({ length: slots }, (_, s) => ({
    rollout: s % perHour === 0 && (day > 0 || s > 0),
    policyEdits: 0,
    newWorkloads: 0,
  }));
  // Slot 0 of day 0 is the baseline: nothing happens before it.
  const randomSlot = () => (day === 0 ? 1 + rng.int(slots - 1) : rng.int(slots));
  for (let i = 0; i < m.policyEditsPerDay; i++) events[randomSlot()]!.policyEdits++;
  for (let i = 0; i < m.newWorkloadsPerDay; i++) events[randomSlot()]!.newWorkloads++;
  return events;
}
