import { resolve } from 'node:path';
import { Command } from 'commander';
import { formatEvery, parseEvery } from '../../arguments/every.js';
import { parseName } from '../../arguments/name.js';
import type { ClusterSettings } from '../../api/services/admin-service.js';
import type { ClusterSource } from '../../store/clusters.repository.js';
import { CliError } from '../cli-error.js';
import { cliArgument } from '../argument.js';
import { OPERATOR, withServices } from '../services.js';
import { receiversFrom, withReceiverFlags } from './alert.js';

/** Listing and showing need Postgres only: they work (and show what is overdue) while Redis is down. */
const READS_ONLY = { redis: false };

function describeSource(source: ClusterSource): string {
  if (source.kind === 'manifests') return `manifests ${source.dir}`;
  if (source.inCluster) return 'in-cluster service account';
  return `kubeconfig context ${source.context ?? '(current)'}`;
}

/** `active`, `paused`, or `active, OVERDUE (last success …)`: a gap in the history is said where people look. */
function state(c: Pick<ClusterSettings, 'paused' | 'overdue' | 'lastSuccessAt'>): string {
  if (c.paused) return 'paused';
  if (!c.overdue) return 'active';
  return `active, OVERDUE (last success ${c.lastSuccessAt ?? 'never'})`;
}

function line(c: ClusterSettings): string {
  return `${c.name}\t${describeSource(c.source)}\tevery ${formatEvery(c.everySeconds)}\t${state(c)}`;
}

export function clusterCommand(): Command {
  const cmd = new Command('cluster').description('register the clusters reachlog snapshots, and manage them');
  withReceiverFlags(
    cmd
      .command('add')
      .argument('<name>')
      .option('--context <context>', 'kubeconfig context (default kubeconfig resolution)')
      .option('--in-cluster', "use the pod's service account (reachlog running inside the cluster)")
      .option('--manifests <dir>', 'a directory of YAML instead of an API server (audit what is declared)')
      .option('--every <duration>', 'how often to snapshot, e.g. 5m', '5m')
      .option(
        '--no-default-alerts',
        'skip the default alert rules (newly exposed to outside addresses; snapshots overdue or failing)',
      ),
    'alert-',
  ).action(async (name: string, flags) => {
    const sources = [flags.context !== undefined, flags.inCluster === true, flags.manifests !== undefined];
    if (sources.filter(Boolean).length > 1) throw new CliError('give one of --context, --in-cluster, --manifests');
    // Stored absolute (the admin service resolves it against this directory too): the worker
    // may run elsewhere.
    const source: ClusterSource = flags.manifests
      ? { kind: 'manifests', dir: resolve(flags.manifests) }
      : {
          kind: 'kube',
          ...(flags.context ? { context: flags.context } : {}),
          ...(flags.inCluster ? { inCluster: true } : {}),
        };
    cliArgument(() => parseName(name, 'cluster name'));
    cliArgument(() => parseEvery(flags.every, '--every'));
    await withServices(async (s) => {
      const c = await s.admin.registerCluster(OPERATOR, { name, source, every: flags.every });
      process.stdout.write(`registered ${line({ ...c, source })}\n`);
      if (flags.defaultAlerts === false) return;
      const receivers = receiversFrom({
        slack: flags.alertSlack,
        webhook: flags.alertWebhook,
        signingKey: flags.alertSigningKey,
        alertmanager: flags.alertAlertmanager,
      });
      if (receivers.length === 0) {
        // A notice, not the command's output: stdout stays the registered cluster.
        process.stderr.write(
          'default alerts: not added, no receiver given (--alert-slack, --alert-webhook or --alert-alertmanager; ' +
            '`reachlog alert add` later)\n',
        );
        return;
      }
      for (const rule of await s.alerts.addDefaultRules(OPERATOR, name, receivers)) {
        process.stdout.write(`default alert ${rule.name}: ${rule.changes.join(', ')} (${rule.severity})\n`);
      }
    });
  });
  cmd.command('list').action(() =>
    withServices(async (s) => {
      const all = await s.admin.clusterSettings(OPERATOR);
      process.stdout.write(all.length ? `${all.map(line).join('\n')}\n` : 'no clusters registered\n');
    }, READS_ONLY),
  );
  cmd
    .command('show')
    .argument('<name>')
    .action((name: string) =>
      withServices(async (s) => {
        const { cluster, snapshots } = await s.admin.clusterWithSnapshots(OPERATOR, name, 10);
        process.stdout.write(`${line(cluster)}\nrecent snapshots:\n`);
        for (const snap of snapshots) {
          const what = snap.error ?? JSON.stringify(snap.counts ?? {});
          process.stdout.write(
            `  #${snap.id}\t${snap.takenAt}\t${snap.status}\t${snap.durationMs ?? '-'} ms\t${what}\n`,
          );
        }
      }, READS_ONLY),
    );
  for (const [verb, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    cmd
      .command(verb)
      .argument('<name>')
      .action((name: string) =>
        withServices(async (s) => {
          await s.admin.setPaused(OPERATOR, name, paused);
          process.stdout.write(`${name}: ${paused ? 'paused' : 'resumed'}\n`);
        }),
      );
  }
  cmd
    .command('confirm-source')
    .description(
      'vouch for a manifests source outside REACHLOG_MANIFESTS_ROOT registered before sources were confined, so the worker reads it',
    )
    .argument('<name>')
    .action((name: string) =>
      withServices(async (s) => {
        await s.admin.confirmManifestSource(OPERATOR, name);
        process.stdout.write(`${name}: manifests source confirmed; the next snapshot reads it\n`);
      }, READS_ONLY),
    );
  cmd
    .command('remove')
    .argument('<name>')
    .option('--purge', 'also delete its history (snapshots, versions, events)')
    .action((name: string, flags) =>
      withServices(async (s) => {
        await s.admin.removeCluster(OPERATOR, name, flags.purge === true);
        process.stdout.write(`${name}: removed${flags.purge ? ' with its history' : ' (history kept)'}\n`);
      }),
    );
  return cmd;
}
