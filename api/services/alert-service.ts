import { authorizeRead } from './access.js';
import { ALERT_FORMAT, type Alert } from '../../alerts/alert.js';
import { sendAlert } from '../../alerts/receivers/send-alert.js';
import {
  parseAlertChanges,
  parseAlertPorts,
  parseAlertSource,
  parseAlertTarget,
  parseReceiverKind,
  parseSeverity,
  parseSilenceDuration,
  type AlertChange,
  type ReceiverKind,
  type RulePorts,
  type Severity,
} from '../../arguments/alert-rule.js';
import { ArgumentError } from '../../arguments/argument-error.js';
import { parseName } from '../../arguments/name.js';
import {
  AlertDeliveriesRepository,
  DELIVERY_STATUSES,
  type DeliveryRow,
  type DeliveryStatus,
} from '../../store/alert-deliveries.repository.js';
import { AlertRuleExistsError, AlertRulesRepository, type AlertRuleRow } from '../../store/alert-rules.repository.js';
import { AlertSilencesRepository, type SilenceRow } from '../../store/alert-silences.repository.js';
import type { ClustersRepository } from '../../store/clusters.repository.js';
import { ReceiverKeyError, shownUrl, type ReceiverSealer } from '../../store/receiver-secret.js';
import { ServiceError, type Principal } from './query-service.js';

/** A receiver as given: where to send, and for the generic webhook the HMAC key. */
export interface ReceiverInput {
  kind: ReceiverKind;
  url: string;
  signingKey?: string;
}

export interface AddAlertRuleInput {
  name: string;
  /** A cluster's name; null or absent: every cluster (a cluster-bound token: its own). */
  cluster?: string | null;
  target?: string;
  changes: string | string[];
  source?: string;
  ports?: string | string[] | null;
  severity?: string;
  receivers: ReceiverInput[];
}

/** A receiver as the API shows it: the URL's origin only, never its path or a key. */
export interface ReceiverInfo {
  kind: ReceiverKind;
  /** `https://hooks.slack.com/…`; a webhook with a signing key says `(signed)`. */
  url: string;
}

export interface AlertRuleInfo {
  name: string;
  cluster: string | null;
  target: string;
  changes: AlertChange[];
  source: string;
  /** `5432/TCP`, `8000-8100/TCP`; null: any port. */
  ports: string[] | null;
  severity: Severity;
  receivers: ReceiverInfo[];
  createdAt: string;
}

export interface DeliveryInfo {
  id: string;
  rule: string;
  receiver: ReceiverKind;
  cluster: string;
  snapshotId: number | null;
  status: DeliveryStatus;
  summary: string;
  attempts: number;
  lastError: string | null;
  silenceId: number | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface AddSilenceInput {
  /** The rule to mute; absent: `target` under every rule. */
  rule?: string | null;
  /** A workload id (or `Kind ns/name` of a policy) to mute; absent: the whole rule. */
  target?: string | null;
  /** Bind to a cluster; a cluster-bound token's silences are always bound to its cluster. */
  cluster?: string | null;
  /** How long from now (`2h`), or give `endsAt`. */
  duration?: string;
  startsAt?: string;
  endsAt?: string;
  reason: string;
}

export interface SilenceInfo {
  id: number;
  rule: string | null;
  target: string | null;
  cluster: string | null;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
  active: boolean;
}

export interface TestResult {
  receiver: ReceiverInfo;
  ok: boolean;
  error: string | null;
}

/**
 * Rules, silences and deliveries, managed by admin tokens; read tokens may list rules and
 * silences. A cluster-bound token sees its cluster's only.
 */
export interface AlertService {
  addRule(p: Principal, input: AddAlertRuleInput): Promise<AlertRuleInfo>;
  rules(p: Principal): Promise<AlertRuleInfo[]>;
  /** The rule and its latest deliveries (failed ones say why). */
  rule(p: Principal, name: string, recent?: number): Promise<{ rule: AlertRuleInfo; deliveries: DeliveryInfo[] }>;
  removeRule(p: Principal, name: string): Promise<void>;
  /** Sends a test alert to each receiver now, bypassing the outbox; says which took it. */
  testRule(p: Principal, name: string): Promise<TestResult[]>;
  deliveries(p: Principal, status?: string | null, limit?: number): Promise<DeliveryInfo[]>;
  addSilence(p: Principal, input: AddSilenceInput): Promise<SilenceInfo>;
  /** Silences in force or to come; with `all`, ended ones too. */
  silences(p: Principal, all?: boolean): Promise<SilenceInfo[]>;
  endSilence(p: Principal, id: number): Promise<void>;
  /**
   * The rules `cluster add` creates unless told not to: newly exposed to outside addresses,
   * and snapshots overdue or failing, to these receivers.
   */
  addDefaultRules(p: Principal, cluster: string, receivers: ReceiverInput[]): Promise<AlertRuleInfo[]>;
}

function requireAdmin(p: Principal): void {
  if (!p.scopes.includes('admin')) throw new ServiceError('FORBIDDEN', `token ${p.name} lacks the admin scope`);
}

const formatRange = ([a, b]: [number, number]) => (a === b ? `${a}` : `${a}-${b}`);
function portsText(ports: RulePorts[] | null): string[] | null {
  return ports?.flatMap((p) => p.ports.map((r) => `${formatRange(r)}/${p.protocol}`)) ?? null;
}

function checkUrl(value: unknown, parameter: string): string {
  try {
    const url = new URL(String(value));
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
  } catch {
    // reported below
  }
  // The URL may be a credential: never echo it.
  throw new ArgumentError(parameter, '(not shown)', 'expected an http(s) URL');
}

function parseReceivers(value: unknown): ReceiverInput[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ArgumentError('receivers', undefined, 'expected at least one receiver: {kind, url, signingKey?}');
  }
  return value.map((v: Record<string, unknown>, i) => {
    const kind = parseReceiverKind(v?.kind, `receivers[${i}].kind`);
    const url = checkUrl(v?.url, `receivers[${i}].url`);
    const key = v?.signingKey;
    if (key !== undefined && key !== null && (typeof key !== 'string' || key.length < 16)) {
      throw new ArgumentError(`receivers[${i}].signingKey`, '(not shown)', 'expected at least 16 characters');
    }
    if (key && kind !== 'webhook') {
      throw new ArgumentError(`receivers[${i}].signingKey`, '(not shown)', 'only a webhook receiver signs');
    }
    return { kind, url, ...(key ? { signingKey: key as string } : {}) };
  });
}

function parseTime(value: unknown, parameter: string): Date {
  const at = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new ArgumentError(parameter, value, 'expected an ISO time');
  return at;
}

export class RepositoryAlertService implements AlertService {
  private readonly rulesRepo: AlertRulesRepository;
  private readonly silencesRepo: AlertSilencesRepository;
  private readonly deliveriesRepo: AlertDeliveriesRepository;

  constructor(
    db: ConstructorParameters<typeof AlertRulesRepository>[0],
    private readonly clusters: ClustersRepository,
    private readonly sealer: ReceiverSealer,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.rulesRepo = new AlertRulesRepository(db);
    this.silencesRepo = new AlertSilencesRepository(db);
    this.deliveriesRepo = new AlertDeliveriesRepository(db);
  }

  async addRule(p: Principal, input: AddAlertRuleInput): Promise<AlertRuleInfo> {
    requireAdmin(p);
    const name = parseName(input?.name, 'name');
    const clusterId = await this.clusterFor(p, input.cluster);
    const receivers = parseReceivers(input.receivers);
    const changes = parseAlertChanges(input.changes, 'changes');
    const rule = {
      name,
      clusterId,
      target: parseAlertTarget(input.target, 'target'),
      changes,
      source: parseAlertSource(input.source, 'source'),
      ports: parseAlertPorts(input.ports, 'ports'),
      severity: parseSeverity(input.severity, 'severity'),
      receivers: receivers.map((r) => ({
        kind: r.kind,
        shown: `${shownUrl(r.url)}${r.signingKey ? ' (signed)' : ''}`,
        sealed: this.seal({ url: r.url, ...(r.signingKey ? { signingKey: r.signingKey } : {}) }),
      })),
    };
    try {
      return this.info(await this.rulesRepo.create(rule), await this.clusterNames());
    } catch (e) {
      if (e instanceof AlertRuleExistsError) throw new ServiceError('BAD_USER_INPUT', e.message);
      throw e;
    }
  }

  async rules(p: Principal): Promise<AlertRuleInfo[]> {
    // Read tokens see which rules watch their clusters (the dashboard shows them); receivers show their origin only.
    authorizeRead(p);
    const names = await this.clusterNames();
    return (await this.rulesRepo.list(p.clusterIds)).map((r) => this.info(r, names));
  }

  async rule(p: Principal, name: string, recent = 20): Promise<{ rule: AlertRuleInfo; deliveries: DeliveryInfo[] }> {
    const row = await this.visibleRule(p, name);
    const names = await this.clusterNames();
    const deliveries = await this.deliveriesRepo.forRule(row.id, Math.min(Math.max(1, recent), 1000));
    return { rule: this.info(row, names), deliveries: deliveries.map((d) => this.deliveryInfo(d, names)) };
  }

  async removeRule(p: Principal, name: string): Promise<void> {
    await this.rulesRepo.remove((await this.visibleRule(p, name)).id);
  }

  async testRule(p: Principal, name: string): Promise<TestResult[]> {
    const row = await this.visibleRule(p, name);
    const names = await this.clusterNames();
    const now = this.now();
    const alert: Alert = {
      format: ALERT_FORMAT,
      kind: 'test',
      rule: { name: row.name, severity: row.severity },
      cluster: row.clusterId === null ? '(every cluster)' : (names.get(row.clusterId) ?? `#${row.clusterId}`),
      snapshot: null,
      summary: `Test of alert rule ${row.name}: this receiver gets reachlog's alerts`,
      total: 0,
      counts: {},
      items: [],
      causes: [],
      detail: `Sent by ${p.name} at ${now.toISOString()}. Nothing changed.`,
      changesPath: null,
    };
    const results: TestResult[] = [];
    for (const [i, r] of row.receivers.entries()) {
      const receiver = this.info(row, names).receivers[i]!;
      try {
        await sendAlert(r.kind, this.open(r.sealed), alert, {
          deliveryId: `test-${row.id}-${now.getTime()}`,
          publicUrl: this.publicUrl,
          now,
        });
        results.push({ receiver, ok: true, error: null });
      } catch (e) {
        if (e instanceof ServiceError) throw e;
        results.push({ receiver, ok: false, error: (e as Error).message });
      }
    }
    return results;
  }

  async deliveries(p: Principal, status?: string | null, limit = 100): Promise<DeliveryInfo[]> {
    requireAdmin(p);
    if (status && !(DELIVERY_STATUSES as readonly string[]).includes(status)) {
      throw new ArgumentError('status', status, `expected one of ${DELIVERY_STATUSES.join(', ')}`);
    }
    const names = await this.clusterNames();
    const rows = await this.deliveriesRepo.list(
      p.clusterIds,
      (status as DeliveryStatus) ?? null,
      Math.min(limit, 1000),
    );
    return rows.map((d) => this.deliveryInfo(d, names));
  }

  async addSilence(p: Principal, input: AddSilenceInput): Promise<SilenceInfo> {
    requireAdmin(p);
    const rule = input?.rule ? await this.visibleRule(p, input.rule) : undefined;
    const target = input.target ? String(input.target).trim() : null;
    if (!rule && !target) throw new ArgumentError('rule', undefined, 'give a rule, a target, or both');
    if (typeof input.reason !== 'string' || input.reason.trim() === '') {
      throw new ArgumentError('reason', input.reason, 'say why (it is shown with the silence)');
    }
    let clusterId = await this.clusterFor(p, input.cluster);
    clusterId ??= rule?.clusterId ?? null;
    const now = this.now();
    const startsAt = input.startsAt ? parseTime(input.startsAt, 'startsAt') : now;
    const endsAt =
      input.endsAt !== undefined
        ? parseTime(input.endsAt, 'endsAt')
        : new Date(startsAt.getTime() + parseSilenceDuration(input.duration, 'duration'));
    if (endsAt <= startsAt) throw new ArgumentError('endsAt', input.endsAt, 'expected a time after startsAt');
    const row = await this.silencesRepo.create({
      clusterId,
      ruleId: rule?.id ?? null,
      target,
      startsAt,
      endsAt,
      reason: input.reason.trim(),
      createdBy: p.name,
    });
    return this.silenceInfo(row, await this.clusterNames());
  }

  async silences(p: Principal, all = false): Promise<SilenceInfo[]> {
    authorizeRead(p);
    const names = await this.clusterNames();
    return (await this.silencesRepo.list(p.clusterIds, this.now(), all)).map((s) => this.silenceInfo(s, names));
  }

  async endSilence(p: Principal, id: number): Promise<void> {
    requireAdmin(p);
    const row = Number.isInteger(id) ? await this.silencesRepo.findById(id) : undefined;
    const visible = row && (p.clusterIds === null || (row.clusterId !== null && p.clusterIds.includes(row.clusterId)));
    if (!visible) throw new ServiceError('NOT_FOUND', `no silence ${id}`);
    await this.silencesRepo.end(id, this.now());
  }

  async addDefaultRules(p: Principal, cluster: string, receivers: ReceiverInput[]): Promise<AlertRuleInfo[]> {
    const defaults = [
      { suffix: 'exposed-to-outside', changes: ['outside'], severity: 'critical' },
      { suffix: 'snapshots-overdue-or-failing', changes: ['overdue', 'failing'], severity: 'warning' },
    ];
    const added: AlertRuleInfo[] = [];
    for (const d of defaults) {
      let name = `${cluster}-${d.suffix}`;
      // A removed cluster's rules may hold the name: the new one's take its id.
      if (await this.rulesRepo.findByName(name)) name = `${name}-${Date.now().toString(36)}`;
      added.push(await this.addRule(p, { name, cluster, changes: d.changes, severity: d.severity, receivers }));
    }
    return added;
  }

  /** The cluster a rule or silence is bound to; a cluster-bound token's own cluster when it names none. */
  private async clusterFor(p: Principal, cluster: string | null | undefined): Promise<number | null> {
    if (cluster === undefined || cluster === null || cluster === '') {
      if (p.clusterIds === null) return null;
      if (p.clusterIds.length === 1) return p.clusterIds[0]!;
      throw new ServiceError('FORBIDDEN', `token ${p.name} is bound to clusters: name one`);
    }
    const row = await this.clusters.byName(cluster, p.clusterIds);
    if (!row) throw new ServiceError('NOT_FOUND', `cluster ${JSON.stringify(cluster)} not found`);
    return row.id;
  }

  /** A rule the token may not manage does not exist for it. */
  private async visibleRule(p: Principal, name: string): Promise<AlertRuleRow> {
    requireAdmin(p);
    const row = typeof name === 'string' ? await this.rulesRepo.findByName(name) : undefined;
    const visible = row && (p.clusterIds === null || (row.clusterId !== null && p.clusterIds.includes(row.clusterId)));
    if (!visible) throw new ServiceError('NOT_FOUND', `alert rule ${JSON.stringify(name)} not found`);
    return row;
  }

  private seal(secret: Parameters<ReceiverSealer['seal']>[0]): Buffer {
    try {
      return this.sealer.seal(secret);
    } catch (e) {
      if (e instanceof ReceiverKeyError) throw new ServiceError('BAD_USER_INPUT', e.message);
      throw e;
    }
  }

  private open(sealed: Buffer) {
    try {
      return this.sealer.open(sealed);
    } catch (e) {
      if (e instanceof ReceiverKeyError) throw new ServiceError('BAD_USER_INPUT', e.message);
      throw e;
    }
  }

  private async clusterNames(): Promise<Map<number, string>> {
    return new Map((await this.clusters.list()).map((c) => [c.id, c.name]));
  }

  private info(r: AlertRuleRow, names: Map<number, string>): AlertRuleInfo {
    return {
      name: r.name,
      cluster: r.clusterId === null ? null : (names.get(r.clusterId) ?? `#${r.clusterId} (removed)`),
      target: r.target,
      changes: r.changes,
      source: r.source,
      ports: portsText(r.ports),
      severity: r.severity,
      receivers: r.receivers.map((v) => ({ kind: v.kind, url: v.shown })),
      createdAt: r.createdAt.toISOString(),
    };
  }

  private deliveryInfo(d: DeliveryRow, names: Map<number, string>): DeliveryInfo {
    return {
      id: d.id,
      rule: d.ruleName,
      receiver: d.receiverKind,
      cluster: names.get(d.clusterId) ?? `#${d.clusterId} (removed)`,
      snapshotId: d.snapshotId,
      status: d.status,
      summary: d.alert.summary,
      attempts: d.attempts,
      lastError: d.lastError,
      silenceId: d.silenceId,
      createdAt: d.createdAt.toISOString(),
      finishedAt: d.finishedAt?.toISOString() ?? null,
    };
  }

  private silenceInfo(s: SilenceRow, names: Map<number, string>): SilenceInfo {
    const now = this.now();
    return {
      id: s.id,
      rule: s.ruleName,
      target: s.target,
      cluster: s.clusterId === null ? null : (names.get(s.clusterId) ?? `#${s.clusterId} (removed)`),
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      reason: s.reason,
      createdBy: s.createdBy,
      active: s.startsAt <= now && now < s.endsAt,
    };
  }
}
