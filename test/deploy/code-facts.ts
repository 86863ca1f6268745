import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, ENV_SCHEMA } from '../../config/env.js';
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
export const RUNTIME_SOURCES = [
  'bin',
  'cli',
  'config',
  'engine',
  'input',
  'store',
  'worker',
  'api',
  'metrics',
] as const;

/** Browser code: bundled into dist/dashboard at build time (Preact and htm inside), never loaded by Node. */
const BUNDLED_FOR_THE_BROWSER = 'api/web/app';

export function sourceFiles(dirs: readonly string[] = RUNTIME_SOURCES): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && relative(REPO, path) === BUNDLED_FOR_THE_BROWSER) continue;
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const d of dirs) walk(join(REPO, d));
  return files.map((f) => relative(REPO, f)).sort();
}

/** Every variable config/env.ts declares, and any `process.env.NAME` (or `process.env['NAME']`) read elsewhere. */
export function envNamesReadByCode(): Set<string> {
  const names = new Set<string>(Object.keys(ENV_SCHEMA.shape));
  for (const file of [...sourceFiles(), 'prisma.config.ts']) {
    const text = readFileSync(join(REPO, file), 'utf8');
    for (const m of text.matchAll(/process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\])/g)) {
      names.add((m[1] ?? m[2])!);
    }
  }
  return names;
}

/** The default config/env.ts gives a variable. */
export function envDefault(name: 'DATABASE_URL' | 'REDIS_URL'): string {
  return { DATABASE_URL: DEFAULT_DATABASE_URL, REDIS_URL: DEFAULT_REDIS_URL }[name];
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

/** The default an option of `reachlog <path>` states in its help, e.g. `8080` for `api --port`. */
export function optionDefault(path: readonly string[], option: string): string {
  const r = runCli(...path, '--help');
  const help = r.stdout.replace(/\s+/g, ' ');
  const m = new RegExp(`${option} <[a-z]+> .*?\\(default: "?([^")]*)"?\\)`).exec(help);
  if (!m) throw new Error(`reachlog ${path.join(' ')} --help states no ${option} default:\n${r.stdout}${r.stderr}`);
  return m[1]!;
}

/** The default of `reachlog api --port`, as its help states it: every deploy file must use it. */
export const API_PORT = Number(optionDefault(['api'], '--port'));

/** The default of `reachlog worker --status-port`: where probes find the worker's /healthz and /readyz. */
export const STATUS_PORT = Number(optionDefault(['worker'], '--status-port'));

/** The shell commands of README.md's ```sh blocks under `## heading`, continuation lines joined. */
export function readmeCommands(heading: string): string[][] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((block) =>
    block[1]!
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}
