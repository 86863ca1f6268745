/**
 * Stored report definitions in GraphQL: the twins of REST's /reports routes, over the same
 * ReportDefinitionService (admin scope to add, remove and run; read tokens list and read).
 * A run is queued, not made in the request: follow it with reportRun until done or failed.
 */
export const reportDefinitionTypeDefs = /* GraphQL */ `
  extend type Query {
    "Stored report definitions whose clusters the token may all see."
    reportDefinitions: [ReportDefinition!]!
    "One definition, its latest kept results and its latest runs."
    reportDefinition("The definition's name." name: String!): ReportDefinitionDetail!
    "A run of a definition: its status, and what it kept once done or failed."
    reportRun("The definition's name." definition: String!, "The run's id." id: Int!): ReportRun!
  }

  extend type Mutation {
    "Store a report definition (admin scope); with a schedule, a worker runs it."
    addReportDefinition("The definition." input: ReportDefinitionInput!): ReportDefinition!
    "Remove a definition, its schedule, runs and results (admin scope). True when removed."
    removeReportDefinition("The definition's name." name: String!): Boolean!
    "Queue a run of a definition now (admin scope); follow it with reportRun."
    runReportDefinition("The definition's name." name: String!): ReportRun!
  }

  "A new report definition."
  input ReportDefinitionInput {
    "Its name."
    name: String!
    "exposure, access, policy-audit or controls."
    type: String!
    "The clusters it covers: one result per cluster and format."
    clusters: [String!]!
    "What it covers; the whole cluster when omitted."
    scope: ReportScopeInput
    "Type-specific options (controls: requireEgressDeny, exemptNamespaces, worldAllowList, zones)."
    options: JSON
    "How far back a run looks (default 7d); a scheduled run after the first covers the time since the previous one."
    period: String
    "A cron expression (UTC), e.g. 0 6 * * 1; on demand only when omitted."
    schedule: String
    "Formats to keep: json (default), md, html, pdf, csv."
    formats: [String!]
  }

  "A stored report definition."
  type ReportDefinition {
    "Its name."
    name: String!
    "exposure, access, policy-audit or controls."
    type: String!
    "The clusters it covers."
    clusters: [String!]!
    "Its scope (namespaces, namespaceSelector, workloadSelector)."
    scope: JSON!
    "Its type-specific options."
    options: JSON!
    "How far back a run looks."
    period: String!
    "Its cron expression (UTC); null: on demand only."
    schedule: String
    "The formats each run keeps."
    formats: [String!]!
    "When it was added (ISO time)."
    createdAt: String!
    "The end of the period the last scheduled run covered (ISO time)."
    lastRunTo: String
  }

  "A definition with its latest results and runs."
  type ReportDefinitionDetail {
    "The definition."
    definition: ReportDefinition!
    "Its latest kept results, newest first."
    results: [ReportResult!]!
    "Its latest runs, newest first (without their results: ask reportRun)."
    runs: [ReportRun!]!
  }

  "A kept report file (or the reason it could not be made)."
  type ReportResult {
    "Its id."
    id: Int!
    "The cluster it covers."
    cluster: String!
    "The period's start (ISO time)."
    periodFrom: String!
    "The period's end (ISO time)."
    periodTo: String!
    "When it was kept (ISO time)."
    createdAt: String!
    "Its format."
    format: String!
    "Its file name."
    filename: String!
    "Whether it carries a detached signature."
    signed: Boolean!
    "Why it could not be made; null when it was."
    error: String
    "Where the file downloads (REST; its signature in the X-Reachlog-Signature header); null when it failed."
    downloadUrl: String
  }

  "A run of a definition."
  type ReportRun {
    "Its id."
    id: Int!
    "The definition's name."
    definition: String!
    "queued, running, done or failed."
    status: String!
    "Whether its schedule made it (else someone asked for it)."
    scheduled: Boolean!
    "Who asked for it (a token's name, reachlog-cli or reachlog-scheduler)."
    requestedBy: String!
    "The period's start (ISO time)."
    periodFrom: String!
    "The period's end (ISO time)."
    periodTo: String!
    "When it was asked for (ISO time)."
    createdAt: String!
    "When a worker began it (ISO time)."
    startedAt: String
    "When it ended (ISO time)."
    finishedAt: String
    "Why it failed: each failed result, or the job's own error."
    error: String
    "Where REST answers its status."
    statusUrl: String!
    "What it kept, once done or failed."
    results: [ReportResult!]!
  }
`;
