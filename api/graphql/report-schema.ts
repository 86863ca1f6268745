/**
 * Reports over GraphQL, the twin of REST's /clusters/{name}/reports/{type}: the same
 * ReportService, the file in base64 beside its detached signature and the report as JSON.
 */
export const reportTypeDefs = /* GraphQL */ `
  extend type Query {
    "Run a report over a period of a cluster's history and render it (read scope)."
    report(
      "The cluster's registered name."
      cluster: String!
      "exposure, access, policy-audit or controls."
      type: String!
      "The period's start: an ISO time, a duration back from now (30d) or snapshot:<id>."
      from: String!
      "The period's end; now when omitted."
      to: String
      "json, md, html, pdf or csv (a zip of one CSV per table)."
      format: String = "json"
      "What the report covers; the whole cluster when omitted."
      scope: ReportScopeInput
      "Type-specific options (controls: requireEgressDeny, exemptNamespaces, worldAllowList, zones)."
      options: JSON
    ): ReportFile!
  }

  "Which namespaces and workloads a report covers (all given conditions apply)."
  input ReportScopeInput {
    "Only these namespaces."
    namespaces: [String!]
    "Only namespaces whose labels match this kubectl selector."
    namespaceSelector: String
    "Only workloads whose pod labels match this kubectl selector."
    workloadSelector: String
  }

  "A rendered report and its detached signature."
  type ReportFile {
    "A file name saying type, cluster and time."
    filename: String!
    "The file's media type."
    contentType: String!
    "The file's bytes, base64."
    contentBase64: String!
    "The detached ed25519 signature (the .sig file's JSON); null when the server has no signing key."
    signature: JSON
    "The report as computed (what the JSON format holds)."
    report: JSON!
  }
`;
