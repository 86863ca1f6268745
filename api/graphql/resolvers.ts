import type {
  ClusterSummary,
  ExplainAnswer,
  ExposureAnswer,
  MatrixAnswer,
  NamespaceMatrixAnswer,
  Page,
  PageArgs,
  QueryService,
  ReachAnswer,
  SnapshotSummary,
  WorkloadInfo,
} from '../services/query-service.js';
import { ask, QUESTION_NAMES, QUESTIONS, type QueryOf } from '../services/questions.js';
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
      ...questionResolvers(service),
    },

    Snapshot: {
      counts: (s: SnapshotNode) => s.counts && Object.entries(s.counts).map(([name, value]) => ({ name, value })),
      cluster: (s: SnapshotNode, _: Args, ctx: GraphqlContext) => service.cluster(principalOf(ctx), s.clusterName),
    },
    ReachAnswer: { ...withSnapshotNode, entries: (a: ReachAnswer) => toConnection(a.entries) },
    ExplainAnswer: withSnapshotNode as { snapshot: (a: ExplainAnswer) => SnapshotNode },
    ExposureAnswer: withSnapshotNode as { snapshot: (a: ExposureAnswer) => SnapshotNode },
    MatrixAnswer: withSnapshotNode as { snapshot: (a: MatrixAnswer) => SnapshotNode },
    NamespaceMatrixAnswer: withSnapshotNode as { snapshot: (a: NamespaceMatrixAnswer) => SnapshotNode },
    WorkloadVariant: {
      labels: (v: WorkloadInfo['variants'][number]) => Object.entries(v.labels).map(([key, value]) => ({ key, value })),
    },
  };
}

/** One resolver per question of the table: arguments as the service's query, a paged list as a connection. */
function questionResolvers(service: QueryService) {
  return Object.fromEntries(
    QUESTION_NAMES.map((name) => {
      const spec = QUESTIONS[name];
      const resolve = async (c: ClusterSummary, args: Args, ctx: GraphqlContext) => {
        const params = Object.keys(spec.params).flatMap((k) => (args[k] == null ? [] : [[k, args[k]]]));
        const query = {
          cluster: c.name,
          ...Object.fromEntries(params),
          ...(spec.paged ? { page: pageArgs(args) } : {}),
        } as QueryOf<typeof name>;
        const answer = await ask(service, name, principalOf(ctx), query);
        return 'list' in spec ? toConnection(answer as Page<unknown>) : answer;
      };
      return [name, resolve];
    }),
  );
}
