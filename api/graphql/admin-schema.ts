/**
 * Admin actions as GraphQL mutations, the twins of REST's POST /clusters, PATCH and DELETE
 * /clusters/{name}, POST /clusters/{name}/snapshots and /tokens: the same AdminService, so the same scopes (admin; not
 * bound to a cluster for clusters and tokens) and the same argument checks.
 */
export const adminTypeDefs = /* GraphQL */ `
  extend type Query {
    "Active API tokens, never their secrets (admin scope, token not bound to a cluster)."
    tokens: [Token!]!
  }

  "Admin actions (admin scope): the same as REST's POST /clusters, PATCH and DELETE /clusters/{name}, POST /clusters/{name}/snapshots and /tokens."
  type Mutation {
    "Register a cluster and its snapshot schedule (token not bound to a cluster)."
    registerCluster(
      "Its name: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit."
      name: String!
      "Where to read it from."
      source: ClusterSourceInput!
      "How often to snapshot it, e.g. 5m or 1h (at least 10s)."
      every: String!
    ): Cluster!
    "Pause the cluster's scheduled snapshots (true) or resume them (false)."
    setClusterPaused("The cluster's registered name." cluster: String!, "Paused or not." paused: Boolean!): Cluster!
    "Unschedule and hide a cluster (token not bound to a cluster). True when removed."
    removeCluster(
      "The cluster's registered name."
      cluster: String!
      "Also delete its snapshots, versions and events."
      purge: Boolean = false
    ): Boolean!
    "Queue a snapshot of the cluster now."
    triggerSnapshot("The cluster's registered name." cluster: String!): SnapshotJob!
    "Create a token; its secret is in this answer only (token not bound to a cluster)."
    createToken(
      "Its name: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit."
      name: String!
      "What it may do."
      scope: TokenScope!
      "The only cluster it may see; every cluster when omitted."
      cluster: String
    ): CreatedToken!
    "Revoke a token by name: its next request is refused. True when revoked."
    revokeToken("The token's name." name: String!): Boolean!
  }

  "Where a cluster is read from: kind kube (with context or inCluster) or manifests (with dir)."
  input ClusterSourceInput {
    "kube or manifests."
    kind: String!
    "kube: the kubeconfig context; the current one when omitted."
    context: String
    "kube: use the pod's service account (reachlog running inside the cluster)."
    inCluster: Boolean
    "manifests: a directory of YAML the worker can read."
    dir: String
  }

  "A queued snapshot job."
  type SnapshotJob {
    "The queue's job id."
    jobId: String!
  }

  "What a token may do."
  enum TokenScope {
    "Ask questions."
    READ
    "Also register clusters, trigger snapshots and manage tokens."
    ADMIN
  }

  "An API token (never its secret)."
  type Token {
    "Its name."
    name: String!
    "What it may do."
    scope: TokenScope!
    "The one cluster it may see; null: every cluster."
    cluster: String
    "When it was created (ISO 8601)."
    createdAt: String!
    "When it was last used (ISO 8601); null: never."
    lastUsedAt: String
  }

  "A new token and its secret."
  type CreatedToken {
    "The token."
    token: Token!
    "The bearer secret (rl_…): shown in this answer only."
    secret: String!
  }
`;
