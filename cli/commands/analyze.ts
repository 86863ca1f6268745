import {
  computeReachability,
  explain,
  formatExplanation,
  FORMATS,
  formatReachability,
  type Format,
} from '../../engine/index.js';
import { parsePort } from '../../arguments/port.js';
import { cliArgument } from '../argument.js';
import { CliError } from '../cli-error.js';
import { loadCluster } from '../load-inputs.js';
import { reportInputErrors, reportWarnings, summaryLine } from '../report-input.js';
import { writeOutput } from '../write-output.js';

export interface AnalyzeFlags {
  output: string;
  focus?: string;
  explain?: string[];
  port?: string;
  strict?: boolean;
  ipblockMatchesPods?: boolean;
  exclude?: string[];
  verbose?: boolean;
}

export async function analyzeCommand(paths: string[], flags: AnalyzeFlags): Promise<void> {
  if (!(FORMATS as readonly string[]).includes(flags.output)) {
    throw new CliError(`--output ${flags.output}: expected one of ${FORMATS.join(', ')}`);
  }
  if (flags.port && !flags.explain) throw new CliError('--port goes with --explain SRC DST');
  const probe = flags.port ? cliArgument(() => parsePort(flags.port!, '--port')) : undefined;
  const { cluster, errors, skippedFiles } = loadCluster(paths, { exclude: flags.exclude });
  reportInputErrors(errors, flags.strict ?? false);
  const reach = computeReachability(cluster, { ipBlockMatchesPods: flags.ipblockMatchesPods ?? false });
  reportWarnings(reach.warnings, flags.verbose ?? false);

  // A peer that names nothing is not "nothing can reach it": say so and fail (exit 1), never
  // answer with an empty list.
  const known = (id: string, flag: string) => {
    if (reach.nodesOf(id)) return;
    const near = reach
      .peerIds()
      .filter((p) => p.includes(id.replace(/\[.*$/, '')))
      .slice(0, 5);
    const hint = reach.workload(id)?.hostNetwork
      ? ' (it uses hostNetwork: NetworkPolicy does not govern it)'
      : near.length
        ? ` (did you mean ${near.join(', ')}?)`
        : ' (peers look like namespace/name[Kind], e.g. default/web[Deployment])';
    throw new CliError(`${flag} ${id}: no such workload${hint}`, 1);
  };

  if (flags.explain) {
    const [src, dst] = flags.explain as [string, string];
    known(src, '--explain');
    known(dst, '--explain');
    await writeOutput([formatExplanation(explain(reach, src, dst, probe))]);
  } else {
    if (flags.focus) known(flags.focus, '--focus');
    await writeOutput(formatReachability(reach, flags.output as Format, flags.focus ? { focus: flags.focus } : {}));
  }
  process.stderr.write(summaryLine(reach, skippedFiles));
}
