import { readFileSync } from 'node:fs';

/** The machine's CPU ticks so far: all of them, and those the hypervisor gave to other guests (Linux /proc/stat). */
interface Ticks {
  total: number;
  steal: number;
}

function ticks(): Ticks | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    return { total: cpu.slice(0, 8).reduce((a, b) => a + b, 0), steal: cpu[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * Stolen time, in percent of all CPU time, while `fn` runs: on a virtual machine whose host is
 * busy, wall times grow by up to that much for no change of the code (the same build measured
 * 2.5 s and 5 s an hour apart, at 0 % and 40 % steal). Undefined where /proc/stat is missing.
 */
export function stealDuring<T>(fn: () => T): { value: T; stealPercent: number | undefined } {
  const before = ticks();
  const value = fn();
  const after = ticks();
  if (!before || !after || after.total === before.total) return { value, stealPercent: undefined };
  return { value, stealPercent: (100 * (after.steal - before.steal)) / (after.total - before.total) };
}
