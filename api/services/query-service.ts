import type { QueryOf, QuestionName } from './questions.js';

/**
 * The questions reachlog answers, shared by GraphQL and REST: resolvers and handlers only
 * translate to and from these calls. Every call is made on behalf of a Principal and sees only
 * the clusters it may see (a cluster it may not see does not exist for it: NOT_FOUND).
 */

export type Scope = 'read' | 'admin';

export interface Principal {
  tokenId: number;
  name: string;
  scopes: Scope[];
  /** null: every cluster. */
  clusterIds: number[] | null;
}

/**
 * `at`/`since`/`from`/`to` accept an ISO time (no zone: UTC), a duration back from now (`7d`,
 * `12h`), `snapshot:<id>`, or `now`; they read the last successful snapshot at or before that
 * time. A time in the future or before the first snapshot is BAD_USER_INPUT.
 */
export type TimeRef = string;

export interface PortRange {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  ports: [number, number][];
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
  /** The cursor after each item (for GraphQL edges); the last one equals `nextCursor` when there is more. */
  cursors?: string[];
}

export interface PageArgs {
  limit?: number; // default 100, max 1000
  cursor?: string | null;
}

export interface ClusterSummary {
  name: string;
  source: string;
  everySeconds: number;
  paused: boolean;
  lastSnapshot: SnapshotSummary | null;
  /** When the last successful snapshot was taken (ISO 8601); null before the first. */
  lastSuccessAt: string | null;
  /**
   * No successful snapshot for more than two intervals (store/overdue.ts): the worker is down,
   * lost its schedule, or every attempt fails. The history has a gap from lastSuccessAt on.
   */
  overdue: boolean;
}

export interface SnapshotSummary {
  id: number;
  takenAt: string;
  status: 'changed' | 'unchanged' | 'failed';
  durationMs: number | null;
  counts: Record<string, number> | null;
  problems: string[];
  error: string | null;
}

/** A workload id, a selector with namespace (`ns=db:app=postgres,tier in (db)`), or `svc:ns/name`. */
export type TargetRef = string;

export interface ObjectRef {
  kind: string;
  key: string;
  /** The version's content hash; null when the change removed it. */
  hash: string | null;
}

/**
 * One allowed connection, named as `reachlog analyze --output json` names it: `src` opens
 * connections to `dst`. For whoCanReach `dst` is a workload of the target, for whatCanReach
 * `src` is a workload of the source.
 */
export interface ReachEntry {
  /** A workload id or an outside address set `ip:…`. */
  src: string;
  dst: string;
  /** src and dst as people read them: a workload id, or outside addresses as `0.0.0.0/0 except 10.0.0.0/8`. */
  srcText: string;
  dstText: string;
  allowed: PortRange[];
  /** When it first gained (an unbroken run of) access: the snapshot and its time. */
  since: { snapshotId: number; takenAt: string };
}

/** A change in what `src` may open to `dst`. */
export interface ReachChange {
  change: 'added' | 'removed' | 'widened' | 'narrowed' | 'changed';
  src: string;
  dst: string;
  /** src and dst as people read them (see ReachEntry). */
  srcText: string;
  dstText: string;
  before: PortRange[];
  after: PortRange[];
  snapshotId: number;
  takenAt: string;
  causes: ObjectRef[];
}

export interface ReachAnswer {
  cluster: string;
  /** The snapshot the answer is read from. */
  snapshot: SnapshotSummary;
  /**
   * The workloads the target (whoCanReach) or source (whatCanReach) resolved to (and, for a
   * Service, its target ports: entries and changes are then restricted to them).
   */
  resolved: { workloads: string[]; ports?: PortRange[] };
  entries: Page<ReachEntry>;
  /** With `since`: what changed for it between then and `at`, event by event. */
  changes?: ReachChange[];
  /**
   * With `since`: each counterpart's net change from then to `at` (none: not listed), dated by
   * its last change. Outside addresses are compared range by range, each in at most one entry.
   */
  netChanges?: ReachChange[];
  /**
   * Qualifications the answer needs, one sentence each, naming policy and rule: e.g. admin
   * `networks` peers that held pod addresses when the snapshot was taken. Absent: none.
   */
  warnings?: string[];
}

export interface ExposureAnswer {
  cluster: string;
  snapshot: SnapshotSummary;
  /** Reachable from outside addresses, with from where and on what. */
  openToOutside: { workload: string; from: string; fromText: string; allowed: PortRange[] }[];
  /** With `since`: each outside source's net change to each workload from then to `at`, dated by its last change. */
  netChanges?: ReachChange[];
  /** Every outside IPv4 address may connect on some port. */
  openToWorld: string[];
  /** Nothing restricts their ingress: no NetworkPolicy isolates them, no admin or baseline Deny applies. */
  unprotected: string[];
  /** Policies whose podSelector selects no pod. */
  policiesSelectingNothing: string[];
  /** Workloads on the node's network: NetworkPolicy does not govern them. */
  hostNetwork: string[];
  /**
   * Qualifications the answer needs, one sentence each, naming policy and rule: e.g. admin
   * `networks` peers that held pod addresses when the snapshot was taken. Absent: none.
   */
  warnings?: string[];
}

/** One side of an explained pair: the source's egress or the destination's ingress. */
export interface ExplainSide {
  direction: 'egress' | 'ingress';
  peer: string;
  /** False for outside addresses: no NetworkPolicy governs their side. */
  governed: boolean;
  /** Policies selecting the peer for this direction (`namespace/name`); empty: not isolated. */
  isolatedBy: string[];
  /** The rules that match the other peer, and what each grants. */
  matches: { policy: string; rule: number; allowed: PortRange[] }[];
  /**
   * The rules of those policies that do not match the other peer, and why (`ipBlock 10.0.0.0/8
   * does not contain 8.8.8.8`); `rule` is absent for a policy with no rules in this direction.
   */
  misses: { policy: string; rule?: number; reason: string }[];
  /** Admin- and Baseline-tier rules that decided part of this side, in evaluation order. */
  tierDecisions: TierDecisionAnswer[];
  allowed: PortRange[];
}

/** One admin-tier rule that decided part of a side: the connections it matched first. */
export interface TierDecisionAnswer {
  tier: 'Admin' | 'Baseline';
  /** AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy. */
  kind: string;
  policy: string;
  /** Absent for the BaselineAdminNetworkPolicy, which has none. */
  priority?: number;
  rule: number;
  ruleName?: string;
  /** ClusterNetworkPolicy's Accept is reported as Allow. */
  action: 'Allow' | 'Deny' | 'Pass';
  /** A peer of a kind reachlog does not know made the rule deny everything (fail closed). */
  failedClosed: boolean;
  connections: PortRange[];
}

export interface ExplainAnswer {
  cluster: string;
  snapshot: SnapshotSummary;
  src: string;
  dst: string;
  /** With `port`: for that port; else whether anything is allowed. */
  verdict: 'allowed' | 'denied';
  allowed: PortRange[];
  /** With `port`: whether that port is allowed. */
  probe?: { protocol: PortRange['protocol']; port: number; allowed: boolean };
  /** One per pod variant pair (one in the common case). */
  pairs: {
    srcVariant?: number;
    dstVariant?: number;
    allowed: PortRange[];
    egress: ExplainSide;
    ingress: ExplainSide;
  }[];
  /** The same, for people (as `reachlog analyze --explain` prints it). */
  text: string;
  /**
   * Qualifications the answer needs, one sentence each, naming policy and rule: e.g. admin
   * `networks` peers that held pod addresses when the snapshot was taken. Absent: none.
   */
  warnings?: string[];
}

export interface NamedPort {
  name: string;
  protocol: PortRange['protocol'];
  port: number;
}

export interface WorkloadInfo {
  id: string;
  namespace: string;
  name: string;
  kind: string;
  hostNetwork: boolean;
  /** Distinct pod variants (labels and named ports); one unless its pods differ. */
  variants: { labels: Record<string, string>; namedPorts: NamedPort[] }[];
}

export interface PolicyInfo {
  /** NetworkPolicy, or an admin tier (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy). */
  kind: string;
  /** `namespace/name`, or `name` for cluster-scoped kinds. */
  key: string;
  namespace: string | null;
  name: string;
  /** NetworkPolicy only, after the API server's defaulting of policyTypes. */
  policyTypes: ('Ingress' | 'Egress')[] | null;
  /** Workload ids its podSelector selects (some pod of them); null for kinds reachlog does not evaluate. */
  selects: string[] | null;
  /** The policy's spec as stored. */
  spec: unknown;
}

export interface MatrixAnswer {
  cluster: string;
  snapshot: SnapshotSummary;
  /** Rows and columns, sorted. */
  peers: string[];
  /** Non-empty cells only: a pair that is absent allows nothing. */
  cells: { src: string; dst: string; allowed: PortRange[] }[];
}

export interface NamespaceMatrixAnswer {
  cluster: string;
  snapshot: SnapshotSummary;
  /** Rows and columns, sorted, with how many workloads (on the policy plane) each holds. */
  namespaces: { name: string; workloads: number }[];
  /** Non-empty cells only: how many workload pairs (src in the row, dst in the column) may open some connection. */
  cells: { src: string; dst: string; pairs: number }[];
  /** With a cell asked for (src and dst): its workload pairs, at most 1000. */
  pairs?: { src: string; dst: string; allowed: PortRange[] }[];
  /** With a cell: false when it holds more pairs than listed. */
  pairsComplete?: boolean;
}

export type ServiceErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'FORBIDDEN';

/** A named failure the edge turns into a GraphQL error code or a problem+json status. */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** The service's inputs, derived from the question table (questions.ts). */
export type WhoCanReachQuery = QueryOf<'whoCanReach'>;
export type WhatCanReachQuery = QueryOf<'whatCanReach'>;
export type DiffQuery = QueryOf<'diff'>;
export type ExplainQuery = QueryOf<'explain'>;
export type ExposureQuery = QueryOf<'exposure'>;
export type ListQuery = QueryOf<'workloads'>;
export type MatrixQuery = QueryOf<'matrix'>;
export type NamespaceMatrixQuery = QueryOf<'namespaceMatrix'>;

/** Each question's answer. */
export interface Answers {
  whoCanReach: ReachAnswer;
  whatCanReach: ReachAnswer;
  diff: Page<ReachChange>;
  explain: ExplainAnswer;
  exposure: ExposureAnswer;
  workloads: Page<WorkloadInfo>;
  policies: Page<PolicyInfo>;
  /**
   * Peers × peers for heatmaps: the workloads of `namespace`, or those a target resolves to
   * (`selector`: `ns=db:app=postgres`, `svc:ns/name`, a workload id; a bare kubectl selector with `namespace`).
   */
  matrix: MatrixAnswer;
  /** Namespaces × namespaces: workload pairs allowed per cell, and one cell's pairs on request. */
  namespaceMatrix: NamespaceMatrixAnswer;
}

/** One method per question of the table, each taking its derived input. */
export type QuestionMethods = { [K in QuestionName]: (p: Principal, q: QueryOf<K>) => Promise<Answers[K]> };

export interface QueryService extends QuestionMethods {
  clusters(p: Principal, page?: PageArgs): Promise<Page<ClusterSummary>>;
  /** One cluster by name (NOT_FOUND if absent or not visible to the principal). */
  cluster(p: Principal, name: string): Promise<ClusterSummary>;
  snapshots(p: Principal, cluster: string, page?: PageArgs): Promise<Page<SnapshotSummary>>;
}
