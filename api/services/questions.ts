import type { PageArgs, Principal, QueryService } from './query-service.js';

/**
 * The questions asked of one cluster, written once: REST routes and the OpenAPI document
 * (`api/rest`), the GraphQL schema's `Cluster` fields and their resolvers (`api/graphql`) and
 * the QueryService's input types are all derived from this table. Adding a question is one
 * entry here, its answer shape (below in query-service.ts, and the two schema documents) and
 * the service method.
 */
export interface ParamSpec {
  /** Every parameter is text: times, ports and targets are parsed by the service, once. */
  required: boolean;
  description: string;
}

export interface QuestionSpec {
  /** What the question asks: the OpenAPI summary and the GraphQL field's description. */
  summary: string;
  params: Readonly<Record<string, ParamSpec>>;
  /** Paged: REST `limit`/`cursor`, GraphQL `first`/`after`, the service's `page`. */
  paged: boolean;
  /**
   * The answer's type in both schemas (`ExplainAnswer`), or with `list`, the item type of a
   * paged list (`ReachChange`: REST `ReachChangePage`, GraphQL `ReachChangeConnection`).
   */
  answer: string;
  list?: true;
}

const TIME = 'an ISO time (2025-03-01T12:00:00Z), a duration back from now (12h, 7d), or snapshot:<id>';
const at = (what: string) => ({
  required: false as const,
  description: `${what}: ${TIME}; the latest snapshot when omitted`,
});
const optional = (description: string) => ({ required: false as const, description });
const required = (description: string) => ({ required: true as const, description });

const PEER_REF =
  'a workload id (db/postgres[StatefulSet]), ns=<namespace>:<kubectl selector> (ns=db:app=postgres), or svc:<namespace>/<name>';
const PORT = 'only connections on this port: 5432/TCP, or 5432 for TCP';
const SINCE = `also list what changed since then (${TIME})`;

export const QUESTIONS = {
  whoCanReach: {
    summary:
      'Who can open connections to the target (each entry: src, dst the target), on what, and since when; with since, what changed.',
    params: {
      target: required(`the destination: ${PEER_REF}`),
      port: optional(PORT),
      at: at('the time to answer for'),
      since: optional(SINCE),
    },
    paged: true,
    answer: 'ReachAnswer',
  },
  whatCanReach: {
    summary:
      'What the source can open connections to (each entry: src the source, dst), on what, and since when; with since, what changed.',
    params: {
      source: required(`the source: ${PEER_REF}`),
      port: optional(PORT),
      at: at('the time to answer for'),
      since: optional(SINCE),
    },
    paged: true,
    answer: 'ReachAnswer',
  },
  diff: {
    summary: 'Connections added, removed, widened or narrowed between two times, one per pair (its net change).',
    params: {
      from: required(`the earlier time: ${TIME}`),
      to: at('the later time'),
      namespace: optional('only pairs with a side (src or dst) in this namespace'),
      workload: optional('only pairs with this workload id as src or dst'),
    },
    paged: true,
    answer: 'ReachChange',
    list: true,
  },
  explain: {
    summary: 'Why src can or cannot reach dst: the policies isolating each side and the rules that match.',
    params: {
      src: required(
        'the source: a workload id, an outside group id, or an address or CIDR, ip: optional (203.0.113.7, 10.1.2.0/24)',
      ),
      dst: required('the destination: a workload id, an outside group id, or an address or CIDR'),
      port: optional('judge this port: 5432/TCP, or 5432 for TCP'),
      at: at('the time to explain'),
    },
    paged: false,
    answer: 'ExplainAnswer',
  },
  exposure: {
    summary:
      'What outside addresses can reach, what no policy protects, and policies that select nothing; with since, what outside addresses gained or lost.',
    params: {
      at: at('the time to answer for'),
      since: optional(`also give each outside source's net change since then (${TIME})`),
    },
    paged: false,
    answer: 'ExposureAnswer',
  },
  workloads: {
    summary: 'Workloads with their pod variants (labels and named ports).',
    params: { at: at('the time to list'), namespace: optional('only this namespace') },
    paged: true,
    answer: 'Workload',
    list: true,
  },
  policies: {
    summary: 'Policies and the workloads each selects.',
    params: { at: at('the time to list'), namespace: optional('only this namespace') },
    paged: true,
    answer: 'Policy',
    list: true,
  },
  matrix: {
    summary:
      'Peers × peers, for heatmaps: the workloads of a namespace, or those a selector resolves to (non-empty cells only).',
    params: {
      at: at('the time to answer for'),
      namespace: optional('the namespace whose workloads form rows and columns (or where a bare selector applies)'),
      selector: optional(`${PEER_REF}; or a bare kubectl selector with namespace`),
    },
    paged: false,
    answer: 'MatrixAnswer',
  },
  namespaceMatrix: {
    summary:
      'Namespaces × namespaces, for heatmaps: how many workload pairs of each cell may connect; with src and dst, that cell’s pairs.',
    params: {
      at: at('the time to answer for'),
      src: optional('a source namespace: with dst, list that cell’s workload pairs'),
      dst: optional('a destination namespace: with src, list that cell’s workload pairs'),
    },
    paged: false,
    answer: 'NamespaceMatrixAnswer',
  },
} as const satisfies Record<string, QuestionSpec>;

export type QuestionName = keyof typeof QUESTIONS;
export const QUESTION_NAMES = Object.keys(QUESTIONS) as QuestionName[];

type Params<K extends QuestionName> = (typeof QUESTIONS)[K]['params'];
type RequiredNames<K extends QuestionName> = {
  [P in keyof Params<K>]: Params<K>[P] extends { required: true } ? P : never;
}[keyof Params<K>];

/** The service's input for a question: the cluster, the table's parameters, and a page when paged. */
export type QueryOf<K extends QuestionName> = { cluster: string } & {
  [P in RequiredNames<K>]: string;
} & { [P in Exclude<keyof Params<K>, RequiredNames<K>>]?: string } & ((typeof QUESTIONS)[K]['paged'] extends true
    ? { page?: PageArgs }
    : unknown);

/** `whoCanReach` → `who-can-reach`: the REST path segment under /clusters/{name}. */
export function restSegment(name: QuestionName): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** One question to the service by name (TypeScript cannot relate a looped name to its method's types). */
export function ask<K extends QuestionName>(
  service: QueryService,
  name: K,
  p: Principal,
  q: QueryOf<K>,
): Promise<unknown> {
  return (service[name] as unknown as (p: Principal, q: QueryOf<K>) => Promise<unknown>).call(service, p, q);
}
