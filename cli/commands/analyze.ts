import {
  computeReachability,
  explainParts,
  formatExplanations,
  FORMATS,
  formatReachability,
  resolveExplainPeer,
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
  const unknown = (id: string, flag: string): never => {
    const near = reach
      .peerIds()
      .filter((p) => p.includes(id.replace(/\[.*$/, '')))
      .slice(0, 5);
    const hint = reach.workload(id)?.hostNetwork
      ? ' (it uses hostNetwork: NetworkPolicy does not govern it)'
      : near.length
        ? ` (did you mean ${near.join(', ')}?)`
        : ` (peers look like namespace/name[Kind], e.g. default/web[Deployment]${flag === '--explain' ? ', or an address or CIDR' : ''})`;
    throw new CliError(`${flag} ${id}: no such workload${hint}`, 1);
  };

  if (flags.explain) {
    const [src, dst] = flags.explain as [string, string];
    const ends = [src, dst].map((text) => {
      const resolved = resolveExplainPeer(reach, text);
      if (resolved.ok) return resolved.peers;
      if (resolved.problem === 'badAddress') throw new CliError(`--explain ${resolved.message}`);
      return unknown(text, '--explain');
    });
    const parts = explainParts(reach, ends[0]!, ends[1]!, probe);
    await writeOutput([formatExplanations(parts, { src, dst })]);
  } else {
    if (flags.focus && !reach.nodesOf(flags.focus)) unknown(flags.focus, '--focus');
    await writeOutput(formatReachability(reach, flags.output as Format, flags.focus ? { focus: flags.focus } : {}));
  }
  process.stderr.write(summaryLine(reach, skippedFiles));
}
