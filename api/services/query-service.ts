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

/** `at`/`since` accept an ISO time, a duration back from now (`7d`, `12h`), or `snapshot:<id>`. */
export type TimeRef = string;

export interface PortRange {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  ports: [number, number][];
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
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

export interface ReachEntry {
  /** A workload id or an outside address set `ip:…`. */
  peer: string;
  /** The workload(s) of the target this applies to. */
  target: string;
  allowed: PortRange[];
  /** When it first gained (an unbroken run of) access: the snapshot and its time. */
  since: { snapshotId: number; takenAt: string };
}

export interface ReachChange {
  change: 'added' | 'removed' | 'widened' | 'narrowed' | 'changed';
  peer: string;
  target: string;
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
  /** The workloads the target resolved to (and, for a Service, its target ports). */
  resolved: { workloads: string[]; ports?: PortRange[] };
  entries: Page<ReachEntry>;
  /** With `since`: what changed for the target between then and `at`. */
  changes?: ReachChange[];
}

export interface ReachQuery {
  cluster: string;
  target: TargetRef;
  /** `5432/TCP` or `5432`: only what can open that port. */
  port?: string;
  at?: TimeRef;
  since?: TimeRef;
  page?: PageArgs;
}

export interface DiffQuery {
  cluster: string;
  from: TimeRef;
  to?: TimeRef;
  namespace?: string;
  workload?: string;
  page?: PageArgs;
}

export interface ExplainQuery {
  cluster: string;
  src: string;
  dst: string;
  port?: string;
  at?: TimeRef;
}

export interface ExposureAnswer {
  cluster: string;
  snapshot: SnapshotSummary;
  /** Reachable from outside addresses, with from where and on what. */
  openToOutside: { workload: string; from: string; allowed: PortRange[] }[];
  /** Every outside IPv4 address may connect on some port. */
  openToWorld: string[];
  /** No NetworkPolicy isolates them for ingress. */
  unprotected: string[];
  /** Policies whose podSelector selects no pod. */
  policiesSelectingNothing: string[];
}

export class ServiceError extends Error {
  constructor(
    readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
  }
}

export interface QueryService {
  clusters(p: Principal, page?: PageArgs): Promise<Page<ClusterSummary>>;
  snapshots(p: Principal, cluster: string, page?: PageArgs): Promise<Page<SnapshotSummary>>;
  whoCanReach(p: Principal, q: ReachQuery): Promise<ReachAnswer>;
  whatCanReach(p: Principal, q: ReachQuery): Promise<ReachAnswer>;
  diff(p: Principal, q: DiffQuery): Promise<Page<ReachChange>>;
  explain(p: Principal, q: ExplainQuery): Promise<unknown>;
  exposure(p: Principal, q: { cluster: string; at?: TimeRef }): Promise<ExposureAnswer>;
  workloads(p: Principal, q: { cluster: string; at?: TimeRef; namespace?: string; page?: PageArgs }): Promise<Page<unknown>>;
  policies(p: Principal, q: { cluster: string; at?: TimeRef; namespace?: string; page?: PageArgs }): Promise<Page<unknown>>;
  matrix(p: Principal, q: { cluster: string; at?: TimeRef; namespace?: string; selector?: string }): Promise<unknown>;
}
