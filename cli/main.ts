import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { CliError } from './cli-error.js';
import { analyzeCommand } from './commands/analyze.js';
import { apiCommand } from './commands/api.js';
import { clusterCommand } from './commands/cluster.js';
import { demoCommand } from './commands/demo.js';
import { diffCommand } from './commands/diff.js';
import { migrateCommand } from './commands/migrate.js';
import { serveCommand } from './commands/serve.js';
import { snapshotCommand } from './commands/snapshot.js';
import { tokenCommand } from './commands/token.js';
import { whoCanReachCommand } from './commands/who-can-reach.js';
import { workerCommand } from './commands/worker.js';

const program = new Command('reachlog')
  .description('Who can reach whom in a Kubernetes cluster, exactly as NetworkPolicy defines it')
  .exitOverride();

program
  .command('analyze')
  .description('list allowed connections between workloads (and outside addresses) in manifests')
  .argument('<paths...>', 'YAML/JSON files or directories (recursive); kubectl get -o yaml|json output works')
  .option('-o, --output <format>', 'txt, json, csv, md, dot or mermaid', 'txt')
  .option('--focus <workload>', 'only connections from or to this workload, e.g. db/postgres[StatefulSet]')
  .option('--explain <peers...>', 'explain why SRC can or cannot reach DST (two peer ids)')
  .option('--port <port>', 'with --explain: the port to judge, e.g. 5432/TCP')
  .option('--strict', 'stop on the first invalid object instead of analyzing the rest')
  .option(
    '--ipblock-matches-pods',
    'let ipBlock peers match pod addresses too (CNI-dependent; default: outside addresses only)',
  )
  .action(async (paths: string[], flags) => {
    if (flags.explain && flags.explain.length !== 2) throw new CliError('--explain takes two peers: SRC DST');
    await analyzeCommand(paths, flags);
  });

program
  .command('diff')
  .description('connections added, removed, widened and narrowed between two manifest sets')
  .argument('<old>', 'the earlier manifests (file or directory)')
  .argument('<new>', 'the later manifests (file or directory)')
  .option('-o, --output <format>', 'txt, json or md', 'txt')
  .option('--strict', 'stop on the first invalid object instead of analyzing the rest')
  .option('--ipblock-matches-pods', 'let ipBlock peers match pod addresses too')
  .action(async (oldPath: string, newPath: string, flags) => diffCommand(oldPath, newPath, flags));

program.addCommand(clusterCommand());
program.addCommand(snapshotCommand());
program.addCommand(workerCommand());
program.addCommand(migrateCommand());
program.addCommand(demoCommand());
program.addCommand(tokenCommand());
program.addCommand(apiCommand());
program.addCommand(serveCommand());
program.addCommand(whoCanReachCommand());

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof CliError || e instanceof ConfigError) {
    process.stderr.write(`reachlog: ${e.message}\n`);
    process.exitCode = e instanceof CliError ? e.exitCode : 2;
  } else {
    throw e;
  }
}
