/**
 * The alert operations and schemas of the OpenAPI document, and `AlertWebhookPayload`: the
 * body a generic webhook receiver gets (alerts/render/webhook-payload.ts), versioned by `format`.
 */
import { ALERT_CHANGES, RECEIVER_KINDS, SEVERITIES } from '../../arguments/alert-rule.js';
import { DELIVERY_STATUSES } from '../../store/alert-deliveries.repository.js';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const array = (items: Json): Json => ({ type: 'array', items });
const str = (description?: string): Json => ({ type: 'string', ...(description ? { description } : {}) });
const nullable = (schema: Json): Json => ({ ...schema, nullable: true });
const time: Json = { type: 'string', format: 'date-time' };
const items = (name: string): Json => ({
  type: 'object',
  required: ['items'],
  properties: { items: array(ref(name)) },
});
const ITEM_CHANGES = ALERT_CHANGES.filter((c) => c !== 'overdue' && c !== 'failing');

const portRange: Json = {
  type: 'object',
  required: ['protocol', 'ports'],
  properties: {
    protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] },
    ports: array({ type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 }),
  },
};

export const alertSchemas: Record<string, Json> = {
  AlertReceiverInput: {
    type: 'object',
    required: ['kind', 'url'],
    properties: {
      kind: { type: 'string', enum: [...RECEIVER_KINDS] },
      url: str('Slack incoming webhook URL, webhook URL, or Alertmanager base URL; sealed at rest, never returned'),
      signingKey: str('webhook only: the HMAC-SHA256 key (16+ characters); sealed at rest, never returned'),
    },
  },
  AlertReceiver: {
    type: 'object',
    required: ['kind', 'url'],
    properties: {
      kind: { type: 'string', enum: [...RECEIVER_KINDS] },
      url: str('the origin only: `https://hooks.slack.com/…`'),
    },
  },
  AddAlertRule: {
    type: 'object',
    required: ['name', 'changes', 'receivers'],
    properties: {
      name: str(),
      cluster: nullable(str('a cluster name; null: every cluster (a cluster-bound token: its own)')),
      target: str('`*`, a workload id, `ns=<namespace>[:<selector>]` or `svc:<namespace>/<name>`'),
      changes: array({ type: 'string', enum: [...ALERT_CHANGES] }),
      source: str('`any`, `outside`, `other-namespaces` or `ns=<namespace>:<selector>`'),
      ports: nullable(array(str('`5432/TCP`, `8000-8100`'))),
      severity: { type: 'string', enum: [...SEVERITIES] },
      receivers: array(ref('AlertReceiverInput')),
    },
  },
  AlertRule: {
    type: 'object',
    required: ['name', 'cluster', 'target', 'changes', 'source', 'ports', 'severity', 'receivers', 'createdAt'],
    properties: {
      name: str(),
      cluster: nullable(str()),
      target: str(),
      changes: array({ type: 'string', enum: [...ALERT_CHANGES] }),
      source: str(),
      ports: nullable(array(str())),
      severity: { type: 'string', enum: [...SEVERITIES] },
      receivers: array(ref('AlertReceiver')),
      createdAt: time,
    },
  },
  AlertDelivery: {
    type: 'object',
    required: ['id', 'rule', 'receiver', 'cluster', 'snapshotId', 'status', 'summary', 'attempts', 'lastError'],
    properties: {
      id: str(),
      rule: str(),
      receiver: { type: 'string', enum: [...RECEIVER_KINDS] },
      cluster: str(),
      snapshotId: nullable({ type: 'integer' }),
      status: { type: 'string', enum: [...DELIVERY_STATUSES] },
      summary: str(),
      attempts: { type: 'integer' },
      lastError: nullable(str('why the last attempt failed')),
      silenceId: nullable({ type: 'integer' }),
      createdAt: time,
      finishedAt: nullable(time),
    },
  },
  AlertRuleWithDeliveries: {
    type: 'object',
    required: ['rule', 'deliveries'],
    properties: { rule: ref('AlertRule'), deliveries: array(ref('AlertDelivery')) },
  },
  AlertTestResults: {
    type: 'object',
    properties: {
      results: array({
        type: 'object',
        properties: { receiver: ref('AlertReceiver'), ok: { type: 'boolean' }, error: nullable(str()) },
      }),
    },
  },
  AddAlertSilence: {
    type: 'object',
    required: ['reason'],
    properties: {
      rule: nullable(str('the rule to mute; absent: the target under every rule')),
      target: nullable(str('a workload id; absent: everything the rule covers')),
      cluster: nullable(str()),
      duration: str('from now: `30m`, `2h`, `1d` (or give endsAt)'),
      startsAt: time,
      endsAt: time,
      reason: str(),
    },
  },
  AlertSilence: {
    type: 'object',
    required: ['id', 'rule', 'target', 'cluster', 'startsAt', 'endsAt', 'reason', 'createdBy', 'active'],
    properties: {
      id: { type: 'integer' },
      rule: nullable(str()),
      target: nullable(str()),
      cluster: nullable(str()),
      startsAt: time,
      endsAt: time,
      reason: str(),
      createdBy: str('the token (or reachlog-cli) that added it'),
      active: { type: 'boolean' },
    },
  },
  AlertWebhookPayload: {
    type: 'object',
    description:
      'What a generic webhook receives (POST, application/json). Headers: `X-Reachlog-Timestamp` (unix seconds), ' +
      '`X-Reachlog-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` when the receiver has a signing key, ' +
      '`X-Reachlog-Delivery` (also `deliveryId`: the same delivery retried carries the same id). Reject old timestamps.',
    required: [
      'format',
      'kind',
      'rule',
      'cluster',
      'snapshot',
      'summary',
      'total',
      'counts',
      'items',
      'causes',
      'deliveryId',
    ],
    properties: {
      format: { type: 'string', enum: ['reachlog.alert/v1'] },
      kind: { type: 'string', enum: ['exposure', 'overdue', 'failing', 'test'] },
      deliveryId: str(),
      rule: {
        type: 'object',
        properties: { name: str(), severity: { type: 'string', enum: [...SEVERITIES] } },
      },
      cluster: str(),
      snapshot: nullable({ type: 'object', properties: { id: { type: 'integer' }, takenAt: time } }),
      summary: str('one line: "db/postgres[StatefulSet] is newly reachable from 0.0.0.0/0 on TCP 5432"'),
      total: { type: 'integer', description: 'changes matched; `items` lists the first 50' },
      counts: { type: 'object', additionalProperties: { type: 'integer' } },
      items: array({
        type: 'object',
        properties: {
          change: { type: 'string', enum: ITEM_CHANGES },
          target: str('the workload whose access changed, or the deleted policy'),
          namespace: nullable(str()),
          peer: nullable(str('who gained or lost access: a workload id or outside addresses in words')),
          ports: array(portRange),
          explainPath: nullable(str()),
          explainUrl: nullable(str('the API explaining the pair at this snapshot')),
        },
      }),
      causes: array({
        type: 'object',
        properties: { kind: str(), key: str(), change: { type: 'string', enum: ['added', 'changed', 'deleted'] } },
      }),
      detail: nullable(str('overdue and failing: what is known, in words')),
      changesPath: nullable(str()),
      changesUrl: nullable(str('every change of the snapshot in the API')),
    },
  },
};

type Op = (operationId: string, summary: string, parameters: Json[], responses: Json, extra?: Json) => Json;
type Helpers = {
  op: Op;
  ok: (description: string, schema: Json, status?: string) => Json;
  problems: (...statuses: number[]) => Json;
  jsonBody: (schema: string) => Json;
};

const ADMIN = 'needs the admin scope; a cluster-bound token manages its cluster’s only';
const ruleParam = {
  name: 'rule',
  in: 'path',
  required: true,
  description: 'the rule name',
  schema: { type: 'string' },
};
const query = (name: string, description: string): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
});

export function alertPaths({ op, ok, problems, jsonBody }: Helpers): Record<string, Json> {
  return {
    '/alerts/rules': {
      get: op('listAlertRules', `alert rules, receivers redacted (${ADMIN})`, [], {
        ...ok('the rules', items('AlertRule')),
        ...problems(403),
      }),
      post: op(
        'addAlertRule',
        `add an alert rule with its receivers (${ADMIN})`,
        [],
        { ...ok('the rule', ref('AlertRule'), '201'), ...problems(400, 403, 404, 413) },
        { requestBody: jsonBody('AddAlertRule') },
      ),
    },
    '/alerts/rules/{rule}': {
      get: op(
        'getAlertRule',
        `a rule and its latest deliveries, failed ones with the reason (${ADMIN})`,
        [ruleParam, query('recent', 'deliveries to list (default 20)')],
        {
          ...ok('the rule', ref('AlertRuleWithDeliveries')),
          ...problems(400, 403, 404),
        },
      ),
      delete: op('removeAlertRule', `remove a rule; its deliveries stay as a record (${ADMIN})`, [ruleParam], {
        '204': { description: 'removed' },
        ...problems(403, 404),
      }),
    },
    '/alerts/rules/{rule}/test': {
      post: op('testAlertRule', `send a test alert to each receiver now (${ADMIN})`, [ruleParam], {
        ...ok('which receivers took it', ref('AlertTestResults')),
        ...problems(400, 403, 404),
      }),
    },
    '/alerts/deliveries': {
      get: op(
        'listAlertDeliveries',
        `the outbox, latest first: pending, sent, failed (with why) or silenced (${ADMIN})`,
        [query('status', DELIVERY_STATUSES.join(', ')), query('limit', 'how many (default 100)')],
        { ...ok('the deliveries', items('AlertDelivery')), ...problems(400, 403) },
      ),
    },
    '/alerts/silences': {
      get: op(
        'listAlertSilences',
        `silences in force or to come; all=true: ended too (${ADMIN})`,
        [query('all', '`true`: ended ones too')],
        {
          ...ok('the silences', items('AlertSilence')),
          ...problems(400, 403),
        },
      ),
      post: op(
        'addAlertSilence',
        `mute a rule or a target for a while, with a reason (${ADMIN})`,
        [],
        { ...ok('the silence', ref('AlertSilence'), '201'), ...problems(400, 403, 404, 413) },
        { requestBody: jsonBody('AddAlertSilence') },
      ),
    },
    '/alerts/silences/{id}': {
      delete: op(
        'endAlertSilence',
        `end a silence now; it stays listed with all=true (${ADMIN})`,
        [{ name: 'id', in: 'path', required: true, description: 'the silence id', schema: { type: 'integer' } }],
        { '204': { description: 'ended' }, ...problems(403, 404) },
      ),
    },
  };
}
