import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli as runCliUncached, REPO, type CliResult } from '../cli/run-cli.js';

/**
 * What the deploy files must agree with, read from the code itself rather than restated:
 * the environment variables it reads, the CLI's subcommands, the API's port.
 */

const helpCache = new Map<string, CliResult>();

/** Each `reachlog … --help` is a process of its own: ask each question once per test file. */
function runCli(...args: string[]): CliResult {
  const key = args.join('\u0000');
  if (!helpCache.has(key)) helpCache.set(key, runCliUncached(...args));
  return helpCache.get(key)!;
}

/** Source folders that run in the image (tests, benchmarks and generated code excluded). */
export const RUNTIME_SOURCES = ['bin', 'cli', 'engine', 'worker', 'api'] as const;

export function sourceFiles(dirs: readonly string[] = RUNTIME_SOURCES): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const d of dirs) walk(join(REPO, d));
  return files.map((f) => relative(REPO, f)).sort();
}

/** Every `process.env.NAME` (or `process.env['NAME']`) the runtime sources read. */
export function envNamesReadByCode(): Set<string> {
  const names = new Set<string>();
  for (const file of [...sourceFiles(), 'prisma.config.ts']) {
    const text = readFileSync(join(REPO, file), 'utf8');
    for (const m of text.matchAll(/process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\])/g)) {
      names.add((m[1] ?? m[2])!);
    }
  }
  return names;
}

/** The default a `process.env.NAME ?? 'default'` line in `file` gives, as the code states it. */
export function envDefault(file: string, name: string): string {
  const text = readFileSync(join(REPO, file), 'utf8');
  const m = new RegExp(`process\\.env\\.${name}\\s*\\?\\?\\s*'([^']*)'`).exec(text);
  if (!m) throw new Error(`${file} has no \`process.env.${name} ?? '…'\` default`);
  return m[1]!;
}

/** The commands `reachlog --help` lists (the program as the image's ENTRYPOINT runs it). */
export function cliSubcommands(...path: string[]): string[] {
  const r = runCli(...path, '--help');
  if (r.status !== 0) throw new Error(`reachlog ${path.join(' ')} --help exited ${r.status}: ${r.stderr}`);
  const section = r.stdout.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

/** The options `reachlog <path> --help` lists, e.g. `--port`. */
export function cliOptions(...path: string[]): string[] {
  const r = runCli(...path, '--help');
  if (r.status !== 0) throw new Error(`reachlog ${path.join(' ')} --help exited ${r.status}: ${r.stderr}`);
  return [...r.stdout.matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1]!);
}

/** The default of `reachlog api --port`, as its help states it: every deploy file must use it. */
export function apiDefaultPort(): number {
  const r = runCli('api', '--help');
  const m = /--port <[a-z]+>.*\(default: "?(\d+)"?\)/.exec(r.stdout);
  if (!m) throw new Error(`reachlog api --help states no --port default:\n${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

export const API_PORT = apiDefaultPort();
