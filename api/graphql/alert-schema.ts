/**
 * Alert rules, deliveries and silences in GraphQL: the twins of REST's /alerts routes, over the
 * same AlertService (admin scope; a cluster-bound token manages its own cluster's only).
 */
export const alertTypeDefs = /* GraphQL */ `
  extend type Query {
    "Alert rules with their receivers (URLs shown as their origin only)."
    alertRules: [AlertRule!]!
    "One rule and its latest deliveries."
    alertRule("The rule's name." name: String!, "How many deliveries." recent: Int = 20): AlertRuleWithDeliveries!
    "The outbox, latest first."
    alertDeliveries(
      "pending, sent, failed or silenced."
      status: String
      "How many."
      limit: Int = 100
    ): [AlertDelivery!]!
    "Silences in force or to come; with all, ended ones too."
    alertSilences("Ended ones too." all: Boolean = false): [AlertSilence!]!
  }

  extend type Mutation {
    "Add an alert rule with its receivers (sealed at rest)."
    addAlertRule("The rule." input: AlertRuleInput!): AlertRule!
    "Remove a rule; its deliveries stay as a record. True when removed."
    removeAlertRule("The rule's name." name: String!): Boolean!
    "Send a test alert to each of the rule's receivers now."
    testAlertRule("The rule's name." name: String!): [AlertTestResult!]!
    "Mute a rule or a target for a while, with a reason."
    addAlertSilence("The silence." input: AlertSilenceInput!): AlertSilence!
    "End a silence now. True when ended."
    endAlertSilence("The silence's id." id: Int!): Boolean!
  }

  "A new alert rule."
  input AlertRuleInput {
    "Its name."
    name: String!
    "A cluster's name; every cluster when omitted (a cluster-bound token: its own)."
    cluster: String
    "*, a workload id, ns=<namespace>[:<selector>] or svc:<namespace>/<name>."
    target: String
    "added, widened, outside, other-namespaces, removed, narrowed, policy-deleted, overdue, failing."
    changes: [String!]!
    "any, outside, other-namespaces or ns=<namespace>:<selector>."
    source: String
    "Only changes on these ports: 5432/TCP, 8000-8100."
    ports: [String!]
    "info, warning or critical."
    severity: String
    "Where its alerts go."
    receivers: [AlertReceiverInput!]!
  }

  "Where alerts go."
  input AlertReceiverInput {
    "slack, webhook or alertmanager."
    kind: String!
    "The Slack incoming webhook, webhook or Alertmanager URL."
    url: String!
    "Webhook only: the HMAC-SHA256 key."
    signingKey: String
  }

  "A new silence."
  input AlertSilenceInput {
    "The rule to mute; the target under every rule when omitted."
    rule: String
    "A workload id to mute; everything the rule covers when omitted."
    target: String
    "Only on this cluster."
    cluster: String
    "How long from now: 30m, 2h, 1d."
    duration: String
    "When it starts (ISO time); now when omitted."
    startsAt: String
    "When it ends (ISO time), instead of duration."
    endsAt: String
    "Why: shown with it."
    reason: String!
  }

  "An alert rule."
  type AlertRule {
    "Its name."
    name: String!
    "Its cluster; null: every cluster."
    cluster: String
    "What it watches."
    target: String!
    "Which changes."
    changes: [String!]!
    "Whose new access counts."
    source: String!
    "Which ports; null: any."
    ports: [String!]
    "info, warning or critical."
    severity: String!
    "Where its alerts go."
    receivers: [AlertReceiver!]!
    "When it was added."
    createdAt: String!
  }

  "A receiver, its URL shown as its origin only."
  type AlertReceiver {
    "slack, webhook or alertmanager."
    kind: String!
    "The URL's origin."
    url: String!
  }

  "A rule and its latest deliveries."
  type AlertRuleWithDeliveries {
    "The rule."
    rule: AlertRule!
    "Latest first."
    deliveries: [AlertDelivery!]!
  }

  "One alert for one receiver."
  type AlertDelivery {
    "Its id (the webhook's X-Reachlog-Delivery)."
    id: String!
    "The rule's name when it was written."
    rule: String!
    "slack, webhook or alertmanager."
    receiver: String!
    "The cluster."
    cluster: String!
    "The snapshot that caused it."
    snapshotId: Int
    "pending, sent, failed or silenced."
    status: String!
    "The alert in one line."
    summary: String!
    "Attempts made."
    attempts: Int!
    "Why the last attempt failed."
    lastError: String
    "The silence that muted it."
    silenceId: Int
    "When it was written."
    createdAt: String!
    "When it was sent, failed for good, or silenced."
    finishedAt: String
  }

  "A silence."
  type AlertSilence {
    "Its id."
    id: Int!
    "The rule it mutes; null: the target under every rule."
    rule: String
    "The target it mutes; null: everything the rule covers."
    target: String
    "The cluster it is bound to."
    cluster: String
    "When it starts."
    startsAt: String!
    "When it ends."
    endsAt: String!
    "Why."
    reason: String!
    "The token that added it."
    createdBy: String!
    "In force now."
    active: Boolean!
  }

  "Whether a receiver took the test alert."
  type AlertTestResult {
    "The receiver."
    receiver: AlertReceiver!
    "Taken."
    ok: Boolean!
    "Why not."
    error: String
  }
`;
