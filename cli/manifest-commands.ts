import { Command } from 'commander';
import { CliError } from './cli-error.js';

/** `--exclude a --exclude b` → ['a', 'b']. */
const repeated = (value: string, previous: string[]) => [...previous, value];

// The options of `analyze` and `diff` are declared here, their work in commands/analyze.ts and
// commands/diff.ts, imported by the action: parsing the options does not load the engine.

export function analyzeProgram(): Command {
  return new Command('analyze')
    .description('list allowed connections between workloads (and outside addresses) in manifests')
    .argument('<paths...>', 'YAML/JSON files or directories (recursive); kubectl get -o yaml|json output works')
    .option('-o, --output <format>', 'txt, json, csv, md, dot or mermaid', 'txt')
    .option('--focus <workload>', 'only connections from or to this workload, e.g. db/postgres[StatefulSet]')
    .option('--explain <peers...>', 'explain why SRC can or cannot reach DST (workload ids, or an address or CIDR)')
    .option('--port <port>', 'with --explain: the port to judge, e.g. 5432/TCP')
    .option('--strict', 'stop on the first invalid object instead of analyzing the rest')
    .option(
      '--ipblock-matches-pods',
      'let ipBlock peers match pod addresses too (CNI-dependent; default: outside addresses only)',
    )
    .option('--exclude <glob>', 'leave out matching files or directories (repeatable), e.g. charts/**', repeated, [])
    .option('--verbose', 'print every warning instead of one line per kind')
    .action(async (paths: string[], flags) => {
      if (flags.explain && flags.explain.length !== 2) throw new CliError('--explain takes two peers: SRC DST');
      const { analyzeCommand } = await import('./commands/analyze.js');
      await analyzeCommand(paths, flags);
    });
}

export function diffProgram(): Command {
  return new Command('diff')
    .description('connections added, removed, widened and narrowed between two manifest sets')
    .argument('<old>', 'the earlier manifests (file or directory)')
    .argument('<new>', 'the later manifests (file or directory)')
    .option('-o, --output <format>', 'txt, json or md', 'txt')
    .option('--strict', 'stop on the first invalid object instead of analyzing the rest')
    .option('--ipblock-matches-pods', 'let ipBlock peers match pod addresses too')
    .option('--exclude <glob>', 'leave out matching files or directories (repeatable)', repeated, [])
    .action(async (oldPath: string, newPath: string, flags) => {
      const { diffCommand } = await import('./commands/diff.js');
      await diffCommand(oldPath, newPath, flags);
    });
}
