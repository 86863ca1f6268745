import type {
  ClusterSummary,
  ExplainAnswer,
  ExposureAnswer,
  MatrixAnswer,
  PageArgs,
  QueryService,
  ReachAnswer,
  SnapshotSummary,
  WorkloadInfo,
} from '../services/query-service.js';
import { toConnection } from './connection.js';
import { principalOf, type GraphqlContext } from './context.js';
import { JsonScalar } from './json-scalar.js';

/** A snapshot as a GraphQL node: it knows its cluster, so that `Snapshot.cluster` can be followed. */
type SnapshotNode = SnapshotSummary & { clusterName: string };

type Args = Record<string, unknown>;

/** GraphQL passes explicit nulls; the service takes absent arguments. */
function opt<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

function pageArgs(args: Args): PageArgs {
  return { limit: opt(args.first as number | null), cursor: opt(args.after as string | null) ?? null };
}

const snapshotNode = (s: SnapshotSummary, clusterName: string): SnapshotNode => ({ ...s, clusterName });
const withSnapshotNode = {
  snapshot: (a: { cluster: string; snapshot: SnapshotSummary }) => snapshotNode(a.snapshot, a.cluster),
};

/** Resolvers only translate: arguments to a service call, its answer to the schema's shapes. */
export function createResolvers(service: QueryService) {
  return {
    JSON: JsonScalar,
    SnapshotStatus: { CHANGED: 'changed', UNCHANGED: 'unchanged', FAILED: 'failed' },
    ChangeKind: { ADDED: 'added', REMOVED: 'removed', WIDENED: 'widened', NARROWED: 'narrowed', CHANGED: 'changed' },
    Verdict: { ALLOWED: 'allowed', DENIED: 'denied' },
    Direction: { EGRESS: 'egress', INGRESS: 'ingress' },

    Query: {
      clusters: async (_: unknown, args: Args, ctx: GraphqlContext) =>
        toConnection(await service.clusters(principalOf(ctx), pageArgs(args))),
      cluster: (_: unknown, args: Args, ctx: GraphqlContext) => service.cluster(principalOf(ctx), args.name as string),
    },

    Cluster: {
      lastSnapshot: (c: ClusterSummary) => c.lastSnapshot && snapshotNode(c.lastSnapshot, c.name),
      snapshots: async (c: ClusterSummary, args: Args, ctx: GraphqlContext) =>
        toConnection(await service.snapshots(principalOf(ctx), c.name, pageArgs(args)), (s) => snapshotNode(s, c.name)),
      whoCanReach: (c: ClusterSummary, args: Args, ctx: GraphqlContext) =>
        service.whoCanReach(principalOf(ctx), reachQuery(c, args)),
      whatCanReach: (c: ClusterSummary, args: Args, ctx: GraphqlContext) =>
        service.whatCanReach(principalOf(ctx), reachQuery(c, args)),
      diff: async (c: ClusterSummary, args: Args, ctx: GraphqlContext) =>
        toConnection(
          await service.diff(principalOf(ctx), {
            cluster: c.name,
            from: args.from as string,
            to: opt(args.to as string | null),
            namespace: opt(args.namespace as string | null),
            workload: opt(args.workload as string | null),
            page: pageArgs(args),
          }),
        ),
      explain: (c: ClusterSummary, args: Args, ctx: GraphqlContext) =>
        service.explain(principalOf(ctx), {
          cluster: c.name,
          src: args.src as string,
          dst: args.dst as string,
          port: opt(args.port as string | null),
          at: opt(args.at as string | null),
        }),
      exposure: (c: ClusterSummary, args: Args, ctx: GraphqlContext) =>
        service.exposure(principalOf(ctx), { cluster: c.name, at: opt(args.at as string | null) }),
      workloads: async (c: ClusterSummary, args: Args, ctx: GraphqlContext) =>
        toConnection(await service.workloads(principalOf(ctx), listQuery(c, args))),
      policies: async (c: ClusterSummary, args: Args, ctx: GraphqlContext) =>
        toConnection(await service.policies(principalOf(ctx), listQuery(c, args))),
      matrix: (c: ClusterSummary, args: Args, ctx: GraphqlContext) =>
        service.matrix(principalOf(ctx), {
          cluster: c.name,
          at: opt(args.at as string | null),
          namespace: opt(args.namespace as string | null),
          selector: opt(args.selector as string | null),
        }),
    },

    Snapshot: {
      counts: (s: SnapshotNode) => s.counts && Object.entries(s.counts).map(([name, value]) => ({ name, value })),
      cluster: (s: SnapshotNode, _: Args, ctx: GraphqlContext) => service.cluster(principalOf(ctx), s.clusterName),
    },
    ReachAnswer: { ...withSnapshotNode, entries: (a: ReachAnswer) => toConnection(a.entries) },
    Explanation: withSnapshotNode as { snapshot: (a: ExplainAnswer) => SnapshotNode },
    Exposure: withSnapshotNode as { snapshot: (a: ExposureAnswer) => SnapshotNode },
    Matrix: withSnapshotNode as { snapshot: (a: MatrixAnswer) => SnapshotNode },
    WorkloadVariant: {
      labels: (v: WorkloadInfo['variants'][number]) => Object.entries(v.labels).map(([key, value]) => ({ key, value })),
    },
  };
}

function reachQuery(c: ClusterSummary, args: Args) {
  return {
    cluster: c.name,
    target: args.target as string,
    port: opt(args.port as string | null),
    at: opt(args.at as string | null),
    since: opt(args.since as string | null),
    page: pageArgs(args),
  };
}

function listQuery(c: ClusterSummary, args: Args) {
  return {
    cluster: c.name,
    at: opt(args.at as string | null),
    namespace: opt(args.namespace as string | null),
    page: pageArgs(args),
  };
}
