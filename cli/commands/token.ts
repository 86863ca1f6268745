import { Command } from 'commander';
import { parseName } from '../../arguments/name.js';
import { parseScope } from '../../arguments/scope.js';
import { TokenExistsError, type TokenRow } from '../../store/tokens.repository.js';
import { cliArgument } from '../argument.js';
import { CliError } from '../cli-error.js';
import { withServices, type Services } from '../services.js';

async function clusterNames(s: Services): Promise<Map<number, string>> {
  return new Map((await s.clusters.list()).map((c) => [c.id, c.name]));
}

function line(t: TokenRow, clusters: Map<number, string>): string {
  const cluster = t.clusterId === null ? 'all clusters' : `cluster ${clusters.get(t.clusterId) ?? `#${t.clusterId}`}`;
  const used = t.lastUsedAt ? `last used ${t.lastUsedAt.toISOString()}` : 'never used';
  return `${t.name}\t${t.scope}\t${cluster}\tcreated ${t.createdAt.toISOString()}\t${used}`;
}

export function tokenCommand(): Command {
  const cmd = new Command('token').description('API bearer tokens: create (the secret is shown once), list, revoke');
  cmd
    .command('create')
    .requiredOption('--name <name>', 'what the token is for, e.g. dashboard (letters, digits, . _ -)')
    .option(
      '--scope <scope>',
      'read (queries) or admin (also registers clusters, triggers snapshots, manages tokens)',
      'read',
    )
    .option('--cluster <name>', 'the only cluster the token may see')
    .action(async (flags: { name: string; scope: string; cluster?: string }) => {
      cliArgument(() => parseName(flags.name, '--name'));
      const scope = cliArgument(() => parseScope(flags.scope, '--scope'));
      await withServices(async (s) => {
        let clusterId: number | null = null;
        if (flags.cluster !== undefined) {
          const c = await s.clusters.findByName(flags.cluster);
          if (!c) throw new CliError(`no cluster named ${flags.cluster} (reachlog cluster list shows them)`, 1);
          clusterId = c.id;
        }
        try {
          const { token, secret } = await s.tokens.create(flags.name, scope, clusterId);
          process.stderr.write(`created token ${token.name} (${scope}); the secret is shown only now:\n`);
          process.stdout.write(`${secret}\n`);
        } catch (e) {
          if (e instanceof TokenExistsError) throw new CliError(`${e.message} (revoke it first)`, 1);
          throw e;
        }
      });
    });
  cmd
    .command('list')
    .description('tokens not revoked (never their secrets)')
    .action(() =>
      withServices(async (s) => {
        const all = await s.tokens.list();
        const clusters = await clusterNames(s);
        process.stdout.write(all.length ? `${all.map((t) => line(t, clusters)).join('\n')}\n` : 'no tokens\n');
      }),
    );
  cmd
    .command('revoke')
    .argument('<name>')
    .action((name: string) =>
      withServices(async (s) => {
        if (!(await s.tokens.revoke(name))) throw new CliError(`no active token named ${name}`, 1);
        process.stdout.write(`${name}: revoked\n`);
      }),
    );
  return cmd;
}
