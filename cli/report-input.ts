import { groupWarnings, type InputError, type Reachability, type Warning } from '../engine/index.js';
import { CliError } from './cli-error.js';

/** Bad input goes to stderr; with --strict it stops the run before any output. */
export function reportInputErrors(errors: readonly InputError[], strict: boolean): void {
  for (const e of errors) process.stderr.write(`reachlog: error: ${e.message}\n`);
  // One object may have several problems: count objects (file, document, item).
  const objects = new Set(errors.map((e) => `${e.source.file}\u0000${e.source.doc}\u0000${e.source.item ?? ''}`)).size;
  if (objects > 0 && strict) {
    throw new CliError(`${objects} invalid input object(s); fix them or run without --strict to analyze the rest`, 1);
  }
  if (objects > 0) process.stderr.write(`reachlog: left out ${objects} invalid object(s), analyzing the rest\n`);
}

/** How many warning messages of one kind are printed before the rest is counted. */
const EXAMPLES = 3;

/** Warnings to stderr: every one with `verbose`, else one line per kind with a few examples. */
export function reportWarnings(warnings: readonly Warning[], verbose: boolean): void {
  const write = (line: string) => process.stderr.write(`reachlog: warning: ${line}\n`);
  if (verbose) {
    for (const w of warnings) write(w.message);
    return;
  }
  for (const g of groupWarnings(warnings, EXAMPLES)) {
    if (g.count === g.examples.length) {
      for (const w of g.examples) write(w);
      continue;
    }
    write(`${g.summary}: ${g.count} warnings, e.g.`);
    for (const w of g.examples) process.stderr.write(`  ${w}\n`);
    process.stderr.write(`  … and ${g.count - g.examples.length} more (--verbose or --output json lists them all)\n`);
  }
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The one-line summary on stderr. */
export function summaryLine(reach: Reachability, skippedFiles: readonly string[] = []): string {
  const s = reach.summary();
  const skipped = [...reach.cluster.skippedKinds].map(([kind, n]) => `${kind}×${n}`).join(', ');
  const parts = [
    count(s.workloads, 'workload'),
    count(s.policies, 'policy', 'policies'),
    ...(s.adminPolicies ? [count(s.adminPolicies, 'admin policy', 'admin policies')] : []),
    `${count(s.unprotected.length, 'unprotected workload')} (no ingress isolation)`,
    `${s.openToWorld.length} open to 0.0.0.0/0`,
  ];
  if (s.hostNetwork.length) parts.push(`${s.hostNetwork.length} on hostNetwork (not governed)`);
  if (skipped) parts.push(`skipped unknown kinds: ${skipped}`);
  if (skippedFiles.length) {
    parts.push(
      `skipped ${count(skippedFiles.length, 'file')} without Kubernetes objects (e.g. ${skippedFiles.slice(0, 2).join(', ')})`,
    );
  }
  return `reachlog: ${parts.join(', ')}\n`;
}
