import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The bin runs dist/, and refuses a missing or stale one (`npm test` builds first; a lone
 * `npx vitest run` does not): fail the test with the bin's reason, not with a wrong answer.
 */
function built(r: CliResult): CliResult {
  const refused = /^reachlog: (no build in dist\/|dist\/ is older than).*/.exec(r.stderr);
  if (refused) throw new Error(`${refused[0]} (the CLI tests run the built CLI)`);
  return r;
}

/** Runs the real `reachlog` bin, as a user would after `npm ci`. */
export function runCli(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, ['bin/reachlog.js', ...args], { cwd: REPO, encoding: 'utf8' });
  return built({ status: r.status, stdout: r.stdout, stderr: r.stderr });
}

/**
 * The same, without blocking this process: for tests whose API, database or fake cluster the
 * command talks to runs in this process's event loop. `env` replaces the environment.
 */
export function runCliAsync(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/reachlog.js', ...args], { cwd: REPO, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        resolve(built({ status, stdout, stderr }));
      } catch (e) {
        reject(e);
      }
    });
  });
}
