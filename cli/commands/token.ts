import { Command } from 'commander';
import { parseName } from '../../arguments/name.js';
import { parseScope } from '../../arguments/scope.js';
import type { TokenInfo } from '../../api/services/admin-service.js';
import { cliArgument } from '../argument.js';
import { OPERATOR, withServices } from '../services.js';

/** Tokens live in Postgres alone. */
const POSTGRES_ONLY = { redis: false };

function line(t: TokenInfo): string {
  const cluster = t.cluster === null ? 'all clusters' : `cluster ${t.cluster}`;
  const used = t.lastUsedAt ? `last used ${t.lastUsedAt}` : 'never used';
  return `${t.name}\t${t.scope}\t${cluster}\tcreated ${t.createdAt}\t${used}`;
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
        const { token, secret } = await s.admin.createToken(OPERATOR, {
          name: flags.name,
          scope,
          cluster: flags.cluster ?? null,
        });
        process.stderr.write(`created token ${token.name} (${scope}); the secret is shown only now:\n`);
        process.stdout.write(`${secret}\n`);
      }, POSTGRES_ONLY);
    });
  cmd
    .command('list')
    .description('tokens not revoked (never their secrets)')
    .action(() =>
      withServices(async (s) => {
        const all = await s.admin.tokens(OPERATOR);
        process.stdout.write(all.length ? `${all.map(line).join('\n')}\n` : 'no tokens\n');
      }, POSTGRES_ONLY),
    );
  cmd
    .command('revoke')
    .argument('<name>')
    .action((name: string) =>
      withServices(async (s) => {
        await s.admin.revokeToken(OPERATOR, name);
        process.stdout.write(`${name}: revoked\n`);
      }, POSTGRES_ONLY),
    );
  return cmd;
}
