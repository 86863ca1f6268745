import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO } from '../cli/run-cli.js';
import { API_PORT, sourceFiles } from './code-facts.js';
import { copyOf, dockerignorePatterns, execForm, ignoredBy, parseDockerfile, type Stage } from './dockerfile.js';

const stages = parseDockerfile(readFileSync(join(REPO, 'deploy/Dockerfile'), 'utf8'));
const runtime = stages.at(-1)!;
const ignore = dockerignorePatterns(readFileSync(join(REPO, '.dockerignore'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const runs = (stage: Stage) => of(stage, 'RUN').map((i) => i.args);

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The packages a file loads at run time (type-only imports are erased by the build). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  const found: string[] = [];
  const patterns = [
    /^\s*import\s+(?!type\b)[^'";]*?from\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /^\s*export\s+(?!type\b)[^'";]*?from\s+['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]!);
  return found.filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s));
}

/** prisma.config.ts and the sources it imports, transitively (`./x.js` is the source `./x.ts`). */
function configFiles(): string[] {
  const found: string[] = [];
  const visit = (file: string) => {
    if (found.includes(file)) return;
    found.push(file);
    const text = readFileSync(join(REPO, file), 'utf8');
    for (const m of text.matchAll(/^\s*import\s+(?!type\b)[^'";]*?from\s+['"](\.[^'"]+)['"]/gm)) {
      visit(join(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    }
  };
  visit('prisma.config.ts');
  return found;
}

describe('deploy/Dockerfile', () => {
  test('is multi-stage: a stage with every dependency, then a runtime stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runs(stages[0]!).some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
  });

  test('the build stage type-checks and builds dist/; the runtime stage runs that, with no generated Prisma client', () => {
    for (const s of stages) expect(runs(s).some((r) => /prisma(\/build\/index\.js)?\s+generate\b/.test(r))).toBe(false);
    expect(pkg.dependencies).not.toHaveProperty('@prisma/client');
    const build = stages.find((s) => runs(s).some((r) => /scripts\/build-cli\.mjs/.test(r)));
    expect(build).toBeDefined();
    const steps = runs(build!).join(' && ');
    expect(steps).toMatch(/tsc(\/bin\/tsc)? -p tsconfig\.json.*scripts\/build-cli\.mjs/);
    // The dashboard's bundle too, after build-cli.mjs (which empties dist/), its browser code type-checked.
    expect(steps).toMatch(
      /tsc(\/bin\/tsc)? -p api\/web\/app\/tsconfig\.json.*scripts\/build-cli\.mjs.*scripts\/build-dashboard\.mjs/,
    );
    expect(runtime.name).not.toBe(build!.name);
    const copies = of(runtime, 'COPY').map((i) => copyOf(i.args));
    expect(copies.some((c) => c.sources.some((src) => src.includes('prisma/generated')))).toBe(false);
    expect(copies).toContainEqual({ from: build!.name, sources: ['/app/dist'], dest: 'dist' });
    // The runtime needs no TypeScript sources but the bundle.
    expect(copies.filter((c) => c.from !== undefined)).toHaveLength(1);
  });

  test('the final stage installs production dependencies only and copies no node_modules from elsewhere', () => {
    const installs = runs(runtime).filter((r) => /\bnpm (ci|install)\b/.test(r));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toContain('--omit=dev');
    for (const c of of(runtime, 'COPY').map((i) => copyOf(i.args))) {
      expect(c.sources.some((s) => s.includes('node_modules'))).toBe(false);
    }
  });

  test('the final stage runs as a non-root user, by number (what runAsNonRoot can verify)', () => {
    const users = of(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.args.split(':')[0]!;
    expect(user).toMatch(/^[0-9]+$/);
    expect(Number(user)).toBeGreaterThan(0);
    // Nothing after the USER line switches back.
    const last = runtime.instructions.indexOf(users.at(-1)!);
    expect(runtime.instructions.slice(last + 1).map((i) => i.keyword)).not.toContain('RUN');
  });

  test('its entrypoint is the package bin, and it exposes the API port', () => {
    const [entrypoint] = of(runtime, 'ENTRYPOINT');
    expect(execForm(entrypoint!.args)).toEqual(['node', pkg.bin.reachlog]);
    expect(of(runtime, 'EXPOSE').map((i) => i.args)).toEqual([String(API_PORT)]);
  });

  test('what the image copies exists and is not left out of the build context by .dockerignore', () => {
    for (const stage of stages) {
      for (const c of of(stage, 'COPY').map((i) => copyOf(i.args))) {
        if (c.from !== undefined) continue;
        for (const source of c.sources) {
          if (source === '.') continue;
          expect(existsSync(join(REPO, source)), source).toBe(true);
          expect(ignoredBy(ignore, source), `${source} is in .dockerignore`).toBe(false);
        }
      }
    }
  });

  test('.dockerignore keeps local state out: node_modules, .git, the generated client', () => {
    for (const path of ['node_modules', '.git', 'prisma/generated', 'test/deploy/dockerfile.test.ts']) {
      expect(ignoredBy(ignore, path), path).toBe(true);
    }
  });

  test('the runtime stage holds the bin, the files the code reads, and the Prisma config with what it imports', () => {
    const copied = of(runtime, 'COPY')
      .map((i) => copyOf(i.args))
      .filter((c) => c.from === undefined)
      .flatMap((c) => c.sources);
    const needed = ['package.json', 'package-lock.json', 'bin', 'prisma', 'examples', ...configFiles()];
    for (const path of needed) expect(copied, path).toContain(path);
    // Nothing else from the sources: the code runs from dist/.
    expect(copied.filter((path) => !needed.includes(path))).toEqual([]);
  });

  test('every package the runtime sources load is a dependency, not a devDependency', () => {
    const files = [...sourceFiles(), 'prisma.config.ts'];
    const generated = join(REPO, 'prisma/generated');
    if (existsSync(generated)) files.push(...sourceFiles(['prisma/generated']));
    const missing = new Map<string, string>();
    for (const file of files) {
      for (const name of runtimeImports(file).map(packageOf)) {
        if (!(name in pkg.dependencies)) missing.set(name, file);
      }
    }
    expect(Object.fromEntries(missing)).toEqual({});
    for (const needed of ['prisma', '@prisma/adapter-pg']) {
      expect(pkg.dependencies, needed).toHaveProperty([needed]);
    }
    // Nothing compiles TypeScript at run time but Prisma's loader for its own config.
    expect(pkg.dependencies).not.toHaveProperty(['tsx']);
    expect(pkg.dependencies).not.toHaveProperty(['typescript']);
  });
});
