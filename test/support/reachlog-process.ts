import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { PACKAGE_ROOT } from '../../package-root.js';

/** A `reachlog` command running as its own process (the bundled bin), as it would be deployed. */
export interface ReachlogProcess {
  child: ChildProcess;
  /** Everything it wrote, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (its first group, else the match). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function startReachlog(args: string[], env: NodeJS.ProcessEnv): ReachlogProcess {
  const child = spawn(process.execPath, ['bin/reachlog.js', ...args], { cwd: PACKAGE_ROOT, env });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => output,
    alive,
    async waitFor(pattern, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(output);
        if (m) return m[1] ?? m[0];
        if (!alive()) throw new Error(`reachlog ${args[0]} exited (${child.exitCode}) before ${pattern}: ${output}`);
        if (Date.now() > until) throw new Error(`reachlog ${args[0]} did not print ${pattern}: ${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill(signal = 'SIGTERM') {
      if (!alive()) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/** Polls `check` until it returns a truthy value (returned), or fails naming `what`. */
export async function eventually<T>(what: string, check: () => Promise<T> | T, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
