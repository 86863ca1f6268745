import { Command } from 'commander';
import type { AlertRuleInfo, DeliveryInfo, ReceiverInput, SilenceInfo } from '../../api/services/alert-service.js';
import { OPERATOR, withServices } from '../services.js';

const out = (line = '') => process.stdout.write(`${line}\n`);
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Receivers from the repeatable flags a command takes (`--slack`, `--webhook`, `--alertmanager`). */
export function receiversFrom(flags: {
  slack?: string[];
  webhook?: string[];
  signingKey?: string;
  alertmanager?: string[];
}): ReceiverInput[] {
  return [
    ...(flags.slack ?? []).map((url) => ({ kind: 'slack' as const, url })),
    ...(flags.webhook ?? []).map((url) => ({
      kind: 'webhook' as const,
      url,
      ...(flags.signingKey ? { signingKey: flags.signingKey } : {}),
    })),
    ...(flags.alertmanager ?? []).map((url) => ({ kind: 'alertmanager' as const, url })),
  ];
}

/** The receiver flags, shared with `cluster add` (prefixed there). */
export function withReceiverFlags(cmd: Command, prefix = ''): Command {
  return cmd
    .option(`--${prefix}slack <url>`, 'a Slack incoming webhook URL (repeatable)', collect)
    .option(`--${prefix}webhook <url>`, 'a generic webhook URL: signed JSON (repeatable)', collect)
    .option(`--${prefix}signing-key <key>`, "the webhooks' HMAC-SHA256 key (at least 16 characters)")
    .option(`--${prefix}alertmanager <url>`, "an Alertmanager's base URL (repeatable)", collect);
}

function ruleLine(r: AlertRuleInfo): string {
  const where = r.cluster ?? 'every cluster';
  const ports = r.ports ? ` ports ${r.ports.join(',')}` : '';
  const source = r.source === 'any' ? '' : ` from ${r.source}`;
  return `${r.name}\t${where}\t${r.severity}\t${r.changes.join(',')}\ttarget ${r.target}${source}${ports}\t${r.receivers.map((v) => `${v.kind} ${v.url}`).join(', ')}`;
}

function deliveryLine(d: DeliveryInfo): string {
  const error = d.lastError ? `\t${d.lastError}` : '';
  return `  #${d.id}\t${d.createdAt}\t${d.receiver}\t${d.status}\t${d.attempts} attempt(s)\t${d.summary}${error}`;
}

function silenceLine(s: SilenceInfo): string {
  const what = [s.rule ? `rule ${s.rule}` : null, s.target ? `target ${s.target}` : null].filter(Boolean).join(', ');
  return `#${s.id}\t${what}\t${s.startsAt} → ${s.endsAt}\t${s.active ? 'active' : 'inactive'}\tby ${s.createdBy}: ${s.reason}`;
}

export function alertCommand(): Command {
  const cmd = new Command('alert').description(
    'alert rules (Slack, signed webhooks, Alertmanager), their deliveries, and silences',
  );
  withReceiverFlags(
    cmd
      .command('add')
      .argument('<name>')
      .requiredOption(
        '--changes <list>',
        'added, widened, outside, other-namespaces, removed, narrowed, policy-deleted, overdue, failing',
      )
      .option('--cluster <name>', 'the cluster (default: every cluster)')
      .option('--target <target>', '* , a workload id, ns=<namespace>[:<selector>] or svc:<namespace>/<name>', '*')
      .option('--source <source>', 'any, outside, other-namespaces or ns=<namespace>:<selector>', 'any')
      .option('--ports <list>', 'only changes on these ports: 5432/TCP,8000-8100')
      .option('--severity <severity>', 'info, warning or critical', 'warning'),
  ).action((name: string, flags) =>
    withServices(async (s) => {
      const rule = await s.alerts.addRule(OPERATOR, {
        name,
        cluster: flags.cluster ?? null,
        target: flags.target,
        changes: flags.changes,
        source: flags.source,
        ports: flags.ports ?? null,
        severity: flags.severity,
        receivers: receiversFrom(flags),
      });
      out(`added ${ruleLine(rule)}`);
    }),
  );
  cmd.command('list').action(() =>
    withServices(async (s) => {
      const rules = await s.alerts.rules(OPERATOR);
      out(rules.length ? rules.map(ruleLine).join('\n') : 'no alert rules');
    }),
  );
  cmd
    .command('show')
    .argument('<name>')
    .option('--recent <n>', 'deliveries to list', '20')
    .action((name: string, flags) =>
      withServices(async (s) => {
        const { rule, deliveries } = await s.alerts.rule(OPERATOR, name, Number(flags.recent));
        out(ruleLine(rule));
        out(deliveries.length ? 'recent deliveries:' : 'no deliveries yet');
        for (const d of deliveries) out(deliveryLine(d));
      }),
    );
  cmd
    .command('remove')
    .argument('<name>')
    .action((name: string) =>
      withServices(async (s) => {
        await s.alerts.removeRule(OPERATOR, name);
        out(`${name}: removed (its deliveries stay as a record)`);
      }),
    );
  cmd
    .command('test')
    .argument('<name>')
    .description('send a test alert to each of the rule’s receivers now')
    .action((name: string) =>
      withServices(async (s) => {
        const results = await s.alerts.testRule(OPERATOR, name);
        for (const r of results) out(`${r.receiver.kind} ${r.receiver.url}: ${r.ok ? 'sent' : `not sent: ${r.error}`}`);
        if (results.some((r) => !r.ok)) process.exitCode = 1;
      }),
    );
  cmd
    .command('deliveries')
    .option('--status <status>', 'pending, sent, failed or silenced')
    .option('--limit <n>', 'how many, latest first', '50')
    .action((flags) =>
      withServices(async (s) => {
        const rows = await s.alerts.deliveries(OPERATOR, flags.status ?? null, Number(flags.limit));
        out(rows.length ? rows.map((d) => `${d.rule}${deliveryLine(d)}`).join('\n') : 'no deliveries');
      }),
    );

  const silence = cmd.command('silence').description('mute a rule or a target for a while, saying why');
  silence
    .command('add')
    .option('--rule <name>', 'the rule to mute (default: the target under every rule)')
    .option('--target <id>', 'a workload id to mute (default: everything the rule covers)')
    .option('--cluster <name>', 'only on this cluster')
    .option('--for <duration>', 'how long from now: 30m, 2h, 1d', '2h')
    .requiredOption('--reason <text>', 'why: shown with the silence')
    .action((flags) =>
      withServices(async (s) => {
        const added = await s.alerts.addSilence(OPERATOR, {
          rule: flags.rule ?? null,
          target: flags.target ?? null,
          cluster: flags.cluster ?? null,
          duration: flags.for,
          reason: flags.reason,
        });
        out(`silenced ${silenceLine(added)}`);
      }),
    );
  silence
    .command('list')
    .option('--all', 'ended silences too')
    .action((flags) =>
      withServices(async (s) => {
        const rows = await s.alerts.silences(OPERATOR, flags.all === true);
        out(rows.length ? rows.map(silenceLine).join('\n') : 'no silences');
      }),
    );
  silence
    .command('end')
    .argument('<id>')
    .action((id: string) =>
      withServices(async (s) => {
        await s.alerts.endSilence(OPERATOR, Number(id));
        out(`silence #${id}: ended`);
      }),
    );
  return cmd;
}
