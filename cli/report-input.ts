import type { InputError, Reachability } from '../engine/index.js';
import { CliError } from './cli-error.js';

/** Bad input goes to stderr; with --strict it stops the run before any output. */
export function reportInputErrors(errors: readonly InputError[], strict: boolean): void {
  for (const e of errors) process.stderr.write(`error: ${e.message}\n`);
  if (errors.length > 0 && strict) {
    throw new CliError(
      `${errors.length} invalid input object(s); fix them or run without --strict to analyze the rest`,
      1,
    );
  }
  if (errors.length > 0)
    process.stderr.write(`reachlog: left out ${errors.length} invalid object(s), analyzing the rest\n`);
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The one-line summary on stderr. */
export function summaryLine(reach: Reachability): string {
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
  return `reachlog: ${parts.join(', ')}\n`;
}
