import { Command, CommanderError, Help } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { CliError } from './cli-error.js';
import { COMMANDS, commandNamed } from './command-table.js';

const program = new Command('reachlog')
  .description('Who can reach whom in a Kubernetes cluster, exactly as NetworkPolicy defines it')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`reachlog: ${text.replace(/^error: /, '')}`) })
  .configureHelp({
    // A listed command is not loaded: its options and arguments come from the table.
    subcommandTerm: (cmd) => {
      const entry = COMMANDS.find((c) => c.name === cmd.name());
      if (!entry) return new Help().subcommandTerm(cmd);
      return entry.usage ? `${entry.name} ${entry.usage}` : entry.name;
    },
  });

/**
 * Usage errors anywhere in the tree reach the catch below (exit 2) instead of exiting 1 in
 * commander, and read `reachlog: …` like every other message.
 */
function throwingOnExit(cmd: Command): Command {
  cmd
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`reachlog: ${text.replace(/^error: /, '')}`) });
  for (const sub of cmd.commands) throwingOnExit(sub);
  return cmd;
}

// Only the command being run is loaded; the others are listed by name and summary (for help,
// and for commander's "unknown command, did you mean" suggestions).
const running = commandNamed(process.argv.slice(2));
for (const entry of COMMANDS) {
  program.addCommand(
    entry === running ? throwingOnExit(await entry.load()) : new Command(entry.name).description(entry.summary),
  );
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof CliError || e instanceof ConfigError) {
    process.stderr.write(`reachlog: ${e.message}\n`);
    process.exitCode = e instanceof CliError ? e.exitCode : 2;
  } else {
    // A store that does not answer or is not set up (api, worker at start): one line naming it, no stack.
    const { outageAsCliError, unmigratedAsCliError } = await import('./services.js');
    const outage = outageAsCliError(e) ?? unmigratedAsCliError(e);
    if (!outage) throw e;
    process.stderr.write(`reachlog: ${outage.message}\n`);
    process.exitCode = 1;
  }
}
