import { Command } from 'commander';
import { parseEvery } from '../../arguments/every.js';
import { parseName } from '../../arguments/name.js';
import { removeSchedule, syncSchedule } from '../../store/queue/snapshot-queue.js';
import { ClusterExistsError, type ClusterRow, type ClusterSource } from '../../store/clusters.repository.js';
import { CliError } from '../cli-error.js';
import { cliArgument } from '../argument.js';
import { withServices, type Services } from '../services.js';

function describeSource(source: ClusterSource): string {
  if (source.kind === 'manifests') return `manifests ${source.dir}`;
  if (source.inCluster) return 'in-cluster service account';
  return `kubeconfig context ${source.context ?? '(current)'}`;
}

function line(c: ClusterRow): string {
  return `${c.name}\t${describeSource(c.source)}\tevery ${c.everySeconds}s\t${c.paused ? 'paused' : 'active'}`;
}

async function named(s: Services, name: string): Promise<ClusterRow> {
  const c = await s.clusters.findByName(name);
  if (!c) throw new CliError(`no cluster named ${name} (reachlog cluster list shows them)`, 1);
  return c;
}

export function clusterCommand(): Command {
  const cmd = new Command('cluster').description('register the clusters reachlog snapshots, and manage them');
  cmd
    .command('add')
    .argument('<name>')
    .option('--context <context>', 'kubeconfig context (default kubeconfig resolution)')
    .option('--in-cluster', "use the pod's service account (reachlog running inside the cluster)")
    .option('--manifests <dir>', 'a directory of YAML instead of an API server (audit what is declared)')
    .option('--every <duration>', 'how often to snapshot, e.g. 5m', '5m')
    .action(async (name: string, flags) => {
      const sources = [flags.context !== undefined, flags.inCluster === true, flags.manifests !== undefined];
      if (sources.filter(Boolean).length > 1) throw new CliError('give one of --context, --in-cluster, --manifests');
      const source: ClusterSource = flags.manifests
        ? { kind: 'manifests', dir: flags.manifests }
        : {
            kind: 'kube',
            ...(flags.context ? { context: flags.context } : {}),
            ...(flags.inCluster ? { inCluster: true } : {}),
          };
      cliArgument(() => parseName(name, 'cluster name'));
      const every = cliArgument(() => parseEvery(flags.every, '--every'));
      await withServices(async (s) => {
        try {
          const c = await s.clusters.add(name, source, every);
          await syncSchedule(s.queue, c);
          process.stdout.write(`registered ${line(c)}\n`);
        } catch (e) {
          if (e instanceof ClusterExistsError) throw new CliError(e.message, 1);
          throw e;
        }
      });
    });
  cmd.command('list').action(() =>
    withServices(async (s) => {
      const all = await s.clusters.list();
      process.stdout.write(all.length ? `${all.map(line).join('\n')}\n` : 'no clusters registered\n');
    }),
  );
  cmd
    .command('show')
    .argument('<name>')
    .action((name: string) =>
      withServices(async (s) => {
        const c = await named(s, name);
        process.stdout.write(`${line(c)}\nrecent snapshots:\n`);
        for (const snap of await s.snapshots.page(c.id, null, 10)) {
          const what = snap.error ?? JSON.stringify(snap.counts ?? {});
          process.stdout.write(
            `  #${snap.id}\t${snap.takenAt.toISOString()}\t${snap.status}\t${snap.durationMs ?? '-'} ms\t${what}\n`,
          );
        }
      }),
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
          const c = await named(s, name);
          await s.clusters.setPaused(c.id, paused);
          await syncSchedule(s.queue, { ...c, paused });
          process.stdout.write(`${name}: ${paused ? 'paused' : 'resumed'}\n`);
        }),
      );
  }
  cmd
    .command('remove')
    .argument('<name>')
    .option('--purge', 'also delete its history (snapshots, versions, events)')
    .action((name: string, flags) =>
      withServices(async (s) => {
        const c = await named(s, name);
        await removeSchedule(s.queue, c.id);
        await s.clusters.remove(c.id, flags.purge === true);
        process.stdout.write(`${name}: removed${flags.purge ? ' with its history' : ' (history kept)'}\n`);
      }),
    );
  return cmd;
}
