import type { Command } from 'commander';

/**
 * One line per command: what `reachlog --help` lists, and how to load the command when it runs.
 * Listing loads no command module, so help costs no Prisma, Apollo, BullMQ or engine; running a
 * command loads its module alone. `summary` and `usage` restate the module's own description and
 * argument list (test/cli/command-table.test.ts keeps them equal).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  /** What follows the name in the list, as commander writes it: `[options] <paths...>`. */
  usage: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'analyze',
    summary: 'list allowed connections between workloads (and outside addresses) in manifests',
    usage: '[options] <paths...>',
    load: async () => (await import('./manifest-commands.js')).analyzeProgram(),
  },
  {
    name: 'diff',
    summary: 'connections added, removed, widened and narrowed between two manifest sets',
    usage: '[options] <old> <new>',
    load: async () => (await import('./manifest-commands.js')).diffProgram(),
  },
  {
    name: 'cluster',
    summary: 'register the clusters reachlog snapshots, and manage them',
    usage: '',
    load: async () => (await import('./commands/cluster.js')).clusterCommand(),
  },
  {
    name: 'snapshot',
    summary: 'snapshot a registered cluster now (a running `reachlog worker` does it)',
    usage: '[options] <name>',
    load: async () => (await import('./commands/snapshot.js')).snapshotCommand(),
  },
  {
    name: 'worker',
    summary: 'run the snapshot workers until SIGTERM/SIGINT (the current job is finished or handed back)',
    usage: '[options]',
    load: async () => (await import('./commands/worker.js')).workerCommand(),
  },
  {
    name: 'migrate',
    summary: 'create the database if missing and apply migrations (DATABASE_URL)',
    usage: '',
    load: async () => (await import('./commands/migrate.js')).migrateCommand(),
  },
  {
    name: 'demo',
    summary:
      'migrate, replay the example timeline (examples/demo) once, then serve the API and a worker until Ctrl-C ' +
      '(PORT, DATABASE_URL, REDIS_URL; with neither set and nothing on their default ports: embedded, see --embedded)',
    usage: '[options]',
    load: async () => (await import('./commands/demo.js')).demoCommand(),
  },
  {
    name: 'alert',
    summary: 'alert rules (Slack, signed webhooks, Alertmanager), their deliveries, and silences',
    usage: '',
    load: async () => (await import('./commands/alert.js')).alertCommand(),
  },
  {
    name: 'token',
    summary: 'API bearer tokens: create (the secret is shown once), list, revoke',
    usage: '',
    load: async () => (await import('./commands/token.js')).tokenCommand(),
  },
  {
    name: 'api',
    summary: 'serve the REST (/api/v1) and GraphQL (/graphql) API until SIGTERM/SIGINT (DATABASE_URL, REDIS_URL)',
    usage: '[options]',
    load: async () => (await import('./commands/api.js')).apiCommand(),
  },
  {
    name: 'serve',
    summary:
      'serve the API and run snapshot jobs in one process until SIGTERM/SIGINT ' +
      '(DATABASE_URL, REDIS_URL; --embedded: neither, data in --data-dir)',
    usage: '[options]',
    load: async () => (await import('./commands/serve.js')).serveCommand(),
  },
  {
    name: 'who-can-reach',
    summary: 'ask a running reachlog API who can reach a workload, and what changed (REACHLOG_API_URL, REACHLOG_TOKEN)',
    usage: '[options] <cluster> <target>',
    load: async () => (await import('./commands/who-can-reach.js')).whoCanReachCommand(),
  },
  {
    name: 'report',
    summary: "compliance reports over a cluster's history: run, add, list, get, remove, verify, keygen",
    usage: '',
    load: async () => (await import('./commands/report.js')).reportCommand(),
  },
];

/** The command `args` (the words after `reachlog`) runs, if any: `help X` shows X's help, so it is X. */
export function commandNamed(args: readonly string[]): CommandEntry | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}
