import { spawn } from 'node:child_process';
import { bundledScript } from './bundled-script.js';
import { parseMeasurement, type Measurement } from './measurement.js';

const STDERR_TAIL = 4000;

export interface ChildResult {
  code: number | null;
  stdout: string;
  /** The end of stderr, for error messages (the whole stream is also passed through live). */
  stderrTail: string;
  ms: number;
}

/** Runs a command, passing its stderr through (progress lines) and keeping its stdout. */
export function runCommand(command: string, args: readonly string[], timeoutMs: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal)
        stderrTail += `\n(killed by ${signal}${signal === 'SIGKILL' ? `, timeout ${timeoutMs / 1000} s?` : ''})`;
      resolve({ code, stdout, stderrTail, ms: performance.now() - started });
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '(no output)';
}

/** A bench script in a fresh Node (its own heap, its own peak RSS), bundled as shipped, reporting one Measurement. */
export async function runBenchScript(
  name: string,
  script: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<Measurement> {
  const result = await runCommand(process.execPath, ['--expose-gc', bundledScript(script), ...args], timeoutMs);
  const measured = parseMeasurement(result.stdout);
  if (!measured) return { name, error: `exit ${result.code}: ${lastLine(result.stderrTail)}` };
  if (result.code !== 0 && !measured.error) measured.error = `exit ${result.code}`;
  return measured;
}
