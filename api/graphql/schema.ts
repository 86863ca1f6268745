import { questionFields } from './question-fields.js';

/**
 * The GraphQL schema: the QueryService's questions, asked of one cluster at a time (the
 * `Cluster` fields come from the question table); answer types are written here. Every type,
 * field and argument carries a description (a test checks it through introspection).
 */
export const typeDefs = /* GraphQL */ `
  """
  Time references (at, since, from, to) accept an ISO time (2025-03-01T12:00:00Z), a duration back
  from now (7d, 12h) or snapshot:<id>; they read the last successful snapshot at or before that time.
  """
  type Query {
    "Clusters the caller may see, by name."
    clusters(
      "Page size: 1 to 1000, 100 when omitted."
      first: Int
      "Continue after this cursor (a previous page's pageInfo.endCursor)."
      after: String
    ): ClusterConnection!
    "One cluster by name; NOT_FOUND when it does not exist or the caller may not see it."
    cluster("The cluster's registered name." name: String!): Cluster!
  }

  "A Kubernetes cluster reachlog snapshots, and the questions to ask of its history."
  type Cluster {
    "The name it was registered under."
    name: String!
    "Where it is read from: kube:<context>, kube:in-cluster or manifests:<dir>."
    source: String!
    "Seconds between scheduled snapshots."
    everySeconds: Int!
    "Whether scheduled snapshots are paused."
    paused: Boolean!
    "The latest snapshot attempt, failed ones included; null before the first."
    lastSnapshot: Snapshot
    "When the last successful snapshot was taken (ISO 8601); null before the first."
    lastSuccessAt: String
    "No successful snapshot for more than two intervals: the history has a gap from lastSuccessAt on (worker down, schedule lost, or every attempt failing)."
    overdue: Boolean!
    "Snapshot attempts, newest first."
    snapshots(
      "Page size: 1 to 1000, 100 when omitted."
      first: Int
      "Continue after this cursor."
      after: String
    ): SnapshotConnection!
${questionFields()}
  }

  "Whether a snapshot changed anything, changed nothing, or could not be taken."
  enum SnapshotStatus {
    "Something changed: new versions and exposure events were stored."
    CHANGED
    "Identical to the snapshot before: only the snapshot row was stored."
    UNCHANGED
    "The cluster could not be read; the snapshot holds no result."
    FAILED
  }

  "One collection of a cluster."
  type Snapshot {
    "Its id, usable as snapshot:<id> in time references."
    id: Int!
    "When it was taken (ISO 8601)."
    takenAt: String!
    "Whether it changed anything, or failed."
    status: SnapshotStatus!
    "How long collecting and storing took."
    durationMs: Int
    "What it held: namespaces, workloads, pods, services, policies, versions and events written."
    counts: [Count!]
    "Objects left out as invalid, each naming object and field."
    problems: [String!]!
    "Why a failed snapshot failed."
    error: String
    "The cluster it belongs to."
    cluster: Cluster!
  }

  "A named number."
  type Count {
    "What is counted."
    name: String!
    "How many."
    value: Int!
  }

  "Where a page ends, for cursor pagination."
  type PageInfo {
    "Whether another page follows."
    hasNextPage: Boolean!
    "Pass as after to read the next page; null on an empty page."
    endCursor: String
  }

  "A page of clusters."
  type ClusterConnection {
    "The clusters of this page, each with its cursor."
    edges: [ClusterEdge!]!
    "Where this page ends."
    pageInfo: PageInfo!
  }

  "A cluster in a page."
  type ClusterEdge {
    "Continue after this cluster."
    cursor: String!
    "The cluster."
    node: Cluster!
  }

  "A page of snapshots."
  type SnapshotConnection {
    "The snapshots of this page, each with its cursor."
    edges: [SnapshotEdge!]!
    "Where this page ends."
    pageInfo: PageInfo!
  }

  "A snapshot in a page."
  type SnapshotEdge {
    "Continue after this snapshot."
    cursor: String!
    "The snapshot."
    node: Snapshot!
  }

  "A protocol NetworkPolicy governs."
  enum Protocol {
    "Transmission Control Protocol."
    TCP
    "User Datagram Protocol."
    UDP
    "Stream Control Transmission Protocol."
    SCTP
  }

  "Ports of one protocol."
  type PortRange {
    "The protocol."
    protocol: Protocol!
    "Inclusive [first, last] port intervals, sorted."
    ports: [[Int!]!]!
  }

  "A snapshot named by id and time."
  type SnapshotRef {
    "The snapshot's id."
    snapshotId: Int!
    "When it was taken (ISO 8601)."
    takenAt: String!
  }

  "Who can reach a target (or what a source can reach), at one snapshot."
  type ReachAnswer {
    "The cluster's name."
    cluster: String!
    "The snapshot the answer is read from."
    snapshot: Snapshot!
    "What the target (or source) resolved to."
    resolved: ResolvedTarget!
    "Peers with what they may open, by peer then target workload."
    entries: ReachEntryConnection!
    "With since: what changed for it between then and at, event by event."
    changes: [ReachChange!]
    "With since: each peer's net change from then to at (a peer that changed and changed back is not listed), dated by its last change."
    netChanges: [ReachChange!]
    "Qualifications the answer needs, one sentence each naming policy and rule (e.g. admin networks peers that held pod addresses when the snapshot was taken); absent: none."
    warnings: [String!]
  }

  "The workloads a target or source names (and a Service's target ports)."
  type ResolvedTarget {
    "Workload ids, sorted."
    workloads: [String!]!
    "For a Service: its target ports, named ones resolved against the workloads."
    ports: [PortRange!]
  }

  "A page of reach entries."
  type ReachEntryConnection {
    "The entries of this page, each with its cursor."
    edges: [ReachEntryEdge!]!
    "Where this page ends."
    pageInfo: PageInfo!
  }

  "A reach entry in a page."
  type ReachEntryEdge {
    "Continue after this entry."
    cursor: String!
    "The entry."
    node: ReachEntry!
  }

  "One allowed connection (src opens connections to dst), as reachlog analyze --output json names it."
  type ReachEntry {
    "The source: a workload id, or an outside address group ip:<cidrs>."
    src: String!
    "The destination: a workload id, or an outside address group ip:<cidrs>."
    dst: String!
    "The source as people read it: the workload id, or the addresses as 0.0.0.0/0 except 10.0.0.0/8."
    srcText: String!
    "The destination as people read it (see srcText)."
    dstText: String!
    "Allowed protocols and ports."
    allowed: [PortRange!]!
    "When the pair gained its current, unbroken access."
    since: SnapshotRef!
  }

  "How a pair's allowed connections changed."
  enum ChangeKind {
    "From nothing to something."
    ADDED
    "From something to nothing."
    REMOVED
    "Ports gained, none lost."
    WIDENED
    "Ports lost, none gained."
    NARROWED
    "Some ports gained and others lost."
    CHANGED
  }

  "A stored version of a Kubernetes object, named as a cause of a change."
  type ObjectRef {
    "Namespace, Workload, Service, NetworkPolicy or an admin policy kind."
    kind: String!
    "namespace/name (the workload id for workloads; name for cluster-scoped objects)."
    key: String!
    "The version's content hash; null when the change removed the object."
    hash: String
  }

  "A change in what a pair may open."
  type ReachChange {
    "What kind of change."
    change: ChangeKind!
    "The source of the pair."
    src: String!
    "The destination of the pair."
    dst: String!
    "The source as people read it: the workload id, or the addresses as 0.0.0.0/0 except 10.0.0.0/8."
    srcText: String!
    "The destination as people read it (see srcText)."
    dstText: String!
    "Allowed before the change."
    before: [PortRange!]!
    "Allowed after the change."
    after: [PortRange!]!
    "The snapshot the change was seen in."
    snapshotId: Int!
    "When that snapshot was taken (ISO 8601)."
    takenAt: String!
    "Objects changed in that snapshot that bear on the pair."
    causes: [ObjectRef!]!
  }

  "A page of changes."
  type ReachChangeConnection {
    "The changes of this page, each with its cursor."
    edges: [ReachChangeEdge!]!
    "Where this page ends."
    pageInfo: PageInfo!
  }

  "A change in a page."
  type ReachChangeEdge {
    "Continue after this change."
    cursor: String!
    "The change."
    node: ReachChange!
  }

  "The verdict of an explanation."
  enum Verdict {
    "Some connection (or the port asked about) is allowed."
    ALLOWED
    "Nothing (or not the port asked about) is allowed."
    DENIED
  }

  "A direction of traffic, as NetworkPolicy names it."
  enum Direction {
    "The source's outgoing traffic."
    EGRESS
    "The destination's incoming traffic."
    INGRESS
  }

  "Why src can or cannot reach dst at a snapshot."
  type ExplainAnswer {
    "The cluster's name."
    cluster: String!
    "The snapshot explained."
    snapshot: Snapshot!
    "The source peer id."
    src: String!
    "The destination peer id."
    dst: String!
    "Allowed or denied (for the port, when one was given)."
    verdict: Verdict!
    "Everything allowed from src to dst."
    allowed: [PortRange!]!
    "With port: whether that port is allowed."
    probe: Probe
    "One per pod variant pair (one unless a workload's pods differ)."
    pairs: [ExplainedPair!]!
    "The explanation for people, as reachlog analyze --explain prints it."
    text: String!
    "Qualifications the answer needs, one sentence each naming policy and rule (e.g. admin networks peers that held pod addresses when the snapshot was taken); absent: none."
    warnings: [String!]
  }

  "A port judged by an explanation."
  type Probe {
    "The port's protocol."
    protocol: Protocol!
    "The port."
    port: Int!
    "Whether it is allowed."
    allowed: Boolean!
  }

  "One pod variant of src against one of dst."
  type ExplainedPair {
    "Which variant of src (0-based), when its pods differ."
    srcVariant: Int
    "Which variant of dst (0-based), when its pods differ."
    dstVariant: Int
    "Allowed for this pair: egress AND ingress."
    allowed: [PortRange!]!
    "The source's egress side."
    egress: ExplainSide!
    "The destination's ingress side."
    ingress: ExplainSide!
  }

  "One side of a pair: the policies that isolate it and the rules that match the other side."
  type ExplainSide {
    "Egress (the source) or ingress (the destination)."
    direction: Direction!
    "The peer whose policies decide this side."
    peer: String!
    "False for outside addresses: no NetworkPolicy governs them."
    governed: Boolean!
    "Policies selecting the peer for this direction (namespace/name); empty: not isolated."
    isolatedBy: [String!]!
    "Rules matching the other peer, and what each allows."
    matches: [RuleMatch!]!
    "Rules of the isolating policies that do not match the other peer, and why."
    misses: [RuleMiss!]!
    "Admin- and Baseline-tier rules that decided part of this side, in evaluation order."
    tierDecisions: [TierDecision!]!
    "What this side allows."
    allowed: [PortRange!]!
  }

  "An admin-tier rule (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) that decided part of a side."
  type TierDecision {
    "Admin (before NetworkPolicy) or Baseline (after it)."
    tier: String!
    "AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy."
    kind: String!
    "The policy's name (admin policies are cluster-scoped)."
    policy: String!
    "Its priority; null for the BaselineAdminNetworkPolicy."
    priority: Int
    "The rule's index in the policy's ingress or egress list."
    rule: Int!
    "The rule's name, when it has one."
    ruleName: String
    "Allow (ClusterNetworkPolicy's Accept), Deny or Pass (handed to the next tier)."
    action: String!
    "A peer of a kind reachlog does not know made the rule deny everything (fail closed)."
    failedClosed: Boolean!
    "The connections this rule decided for the pair."
    connections: [PortRange!]!
  }

  "A policy rule that matches the other peer."
  type RuleMatch {
    "The policy (namespace/name)."
    policy: String!
    "The rule's index in the policy's ingress or egress list."
    rule: Int!
    "What the rule allows for this pair."
    allowed: [PortRange!]!
  }

  "A rule of an isolating policy that does not match the other peer."
  type RuleMiss {
    "The policy (namespace/name)."
    policy: String!
    "The rule's index in the policy's ingress or egress list (0-based, as in spec.ingress[0]); null for a policy with no rules in this direction."
    rule: Int
    "Why: each peer of the rule that does not match, e.g. ipBlock 10.0.0.0/8 does not contain 8.8.8.8."
    reason: String!
  }

  "What the outside world can reach at a snapshot, and what is left unprotected."
  type ExposureAnswer {
    "The cluster's name."
    cluster: String!
    "The snapshot the answer is read from."
    snapshot: Snapshot!
    "Workloads reachable from outside addresses, with from where and on what."
    openToOutside: [OutsideExposure!]!
    "Workloads every outside IPv4 address may connect to on some port."
    openToWorld: [String!]!
    "Workloads no NetworkPolicy isolates for ingress."
    unprotected: [String!]!
    "Policies whose podSelector selects no pod (namespace/name)."
    policiesSelectingNothing: [String!]!
    "Workloads on the node's network, which NetworkPolicy does not govern."
    hostNetwork: [String!]!
    "With since: each outside source's net change to each workload from then to at, dated by its last change."
    netChanges: [ReachChange!]
    "Qualifications the answer needs, one sentence each naming policy and rule (e.g. admin networks peers that held pod addresses when the snapshot was taken); absent: none."
    warnings: [String!]
  }

  "A workload some outside addresses can reach."
  type OutsideExposure {
    "The workload id."
    workload: String!
    "The outside addresses ip:<cidrs> (one address family; those allowed alike merged)."
    from: String!
    "The same addresses as people read them: 0.0.0.0/0 except 10.0.0.0/8."
    fromText: String!
    "What that group may open."
    allowed: [PortRange!]!
  }

  "A page of workloads."
  type WorkloadConnection {
    "The workloads of this page, each with its cursor."
    edges: [WorkloadEdge!]!
    "Where this page ends."
    pageInfo: PageInfo!
  }

  "A workload in a page."
  type WorkloadEdge {
    "Continue after this workload."
    cursor: String!
    "The workload."
    node: Workload!
  }

  "Pods grouped by their top owner (Deployment, StatefulSet, CronJob, …)."
  type Workload {
    "namespace/name[Kind]."
    id: String!
    "Its namespace."
    namespace: String!
    "The owner's name."
    name: String!
    "The owner's kind (a bare pod is Pod)."
    kind: String!
    "Whether its pods share the node's network (NetworkPolicy does not govern them)."
    hostNetwork: Boolean!
    "Its distinct pod variants: one unless its pods differ in labels or named ports."
    variants: [WorkloadVariant!]!
  }

  "What selectors can see of a group of alike pods."
  type WorkloadVariant {
    "Pod labels (those that change with every rollout left out)."
    labels: [Label!]!
    "Named container ports."
    namedPorts: [NamedPort!]!
  }

  "A label."
  type Label {
    "The label key."
    key: String!
    "The label value."
    value: String!
  }

  "A named container port."
  type NamedPort {
    "The port's name."
    name: String!
    "The port's protocol."
    protocol: Protocol!
    "The port number."
    port: Int!
  }

  "A policy type after the API server's defaulting."
  enum PolicyType {
    "The policy isolates its pods' incoming traffic."
    Ingress
    "The policy isolates its pods' outgoing traffic."
    Egress
  }

  "A page of policies."
  type PolicyConnection {
    "The policies of this page, each with its cursor."
    edges: [PolicyEdge!]!
    "Where this page ends."
    pageInfo: PageInfo!
  }

  "A policy in a page."
  type PolicyEdge {
    "Continue after this policy."
    cursor: String!
    "The policy."
    node: Policy!
  }

  "A network policy as stored (NetworkPolicy, or an admin tier reachlog keeps but does not evaluate)."
  type Policy {
    "NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy."
    kind: String!
    "namespace/name, or name for cluster-scoped kinds."
    key: String!
    "Its namespace; null for cluster-scoped kinds."
    namespace: String
    "Its name."
    name: String!
    "NetworkPolicy only: the directions it isolates."
    policyTypes: [PolicyType!]
    "Workload ids its podSelector selects; null for kinds reachlog does not evaluate."
    selects: [String!]
    "The policy's spec as stored."
    spec: JSON
  }

  "Peers × peers at a snapshot."
  type MatrixAnswer {
    "The cluster's name."
    cluster: String!
    "The snapshot the answer is read from."
    snapshot: Snapshot!
    "Rows and columns, sorted."
    peers: [String!]!
    "Non-empty cells only: an absent pair allows nothing."
    cells: [MatrixCell!]!
  }

  "One allowed pair of a matrix."
  type MatrixCell {
    "The row: the source."
    src: String!
    "The column: the destination."
    dst: String!
    "What src may open to dst."
    allowed: [PortRange!]!
  }

  "Namespaces × namespaces at a snapshot."
  type NamespaceMatrixAnswer {
    "The cluster's name."
    cluster: String!
    "The snapshot the answer is read from."
    snapshot: Snapshot!
    "Rows and columns, sorted."
    namespaces: [NamespaceSize!]!
    "Non-empty cells only."
    cells: [NamespaceCell!]!
    "With src and dst: that cell's workload pairs (at most 1000)."
    pairs: [MatrixCell!]
    "With src and dst: false when the cell holds more pairs than listed."
    pairsComplete: Boolean
  }

  "A namespace of a namespace matrix."
  type NamespaceSize {
    "The namespace."
    name: String!
    "Its workloads on the policy plane."
    workloads: Int!
  }

  "One non-empty cell of a namespace matrix."
  type NamespaceCell {
    "The row: the source namespace."
    src: String!
    "The column: the destination namespace."
    dst: String!
    "Workload pairs (src in the row, dst in the column) that may open some connection."
    pairs: Int!
  }

  "Any JSON value (a policy spec as stored)."
  scalar JSON
`;
