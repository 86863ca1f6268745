import {
  computeReachability,
  diffReachability,
  DIFF_FORMATS,
  renderDiff,
  type DiffFormat,
} from '../../engine/index.js';
import { CliError } from '../cli-error.js';
import { loadCluster } from '../load-inputs.js';
import { reportInputErrors } from '../report-input.js';
import { writeOutput } from '../write-output.js';

export interface DiffFlags {
  output: string;
  strict?: boolean;
  ipblockMatchesPods?: boolean;
  exclude?: string[];
}

export async function diffCommand(oldPath: string, newPath: string, flags: DiffFlags): Promise<void> {
  if (!(DIFF_FORMATS as readonly string[]).includes(flags.output)) {
    throw new CliError(`--output ${flags.output}: expected one of ${DIFF_FORMATS.join(', ')}`);
  }
  const options = { ipBlockMatchesPods: flags.ipblockMatchesPods ?? false };
  const before = loadCluster([oldPath], { exclude: flags.exclude });
  const after = loadCluster([newPath], { exclude: flags.exclude });
  reportInputErrors([...before.errors, ...after.errors], flags.strict ?? false);
  const changes = [
    ...diffReachability(computeReachability(before.cluster, options), computeReachability(after.cluster, options)),
  ];
  await writeOutput(renderDiff(changes, flags.output as DiffFormat));
  const count = (kind: string) => changes.filter((c) => c.change === kind).length;
  process.stderr.write(
    `reachlog: ${changes.length} changed connections: ${count('added')} added, ${count('removed')} removed, ${count('widened')} widened, ${count('narrowed')} narrowed, ${count('changed')} changed\n`,
  );
}
