// `npm run build` (and so `npm ci`, through postinstall): bundles the CLI into dist/.
//
// A start of the CLI used to load some 200 files (the engine's modules, and yaml's CommonJS files
// one by one); bundled, `reachlog analyze` loads a few chunks. esbuild only strips types; the
// type check is `npm run typecheck` (tsc), which `npm test` runs first. Each command's own code
// sits in chunks of its own (cli/command-table.ts imports them dynamically), so `--help` loads
// none of them.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

/**
 * Packages copied into the bundle: small ones that the quick commands (help, analyze, diff)
 * load. Every other package stays an import resolved in node_modules at run time, as without a
 * bundle, so a package added later is never bundled by surprise (Prisma, PGlite and others read
 * files next to their own code).
 */
const BUNDLED_PACKAGES = new Set([
  'commander',
  'yaml',
  'ipaddr.js',
  'fastest-levenshtein',
  'picomatch',
  'safe-stable-stringify',
]);

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const packagesOutside = {
  name: 'packages-outside',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path }) => {
      if (path.startsWith('node:') || builtinModules.includes(path)) return { path, external: true };
      return BUNDLED_PACKAGES.has(packageOf(path)) ? undefined : { path, external: true };
    });
  },
};

rmSync('dist', { recursive: true, force: true });
const { metafile } = await build({
  // The snapshot thread is an entry of its own: the worker starts it as dist/snapshot-thread.js.
  entryPoints: { main: 'cli/main.ts', 'snapshot-thread': 'worker/snapshot/snapshot-thread.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  plugins: [packagesOutside],
  // The bundled CommonJS packages call require(); an ES module has none of its own.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});
const sources = Object.keys(metafile.inputs).sort();

/**
 * What bundling would silently break, refused with the file to change: a path relative to the
 * module's own file (its code now lives in dist/; package-root.ts finds files beside the package),
 * and a top-level `require` (the banner declares one).
 */
const problems = sources
  .filter((source) => !source.startsWith('node_modules/') && !source.startsWith('prisma/generated/'))
  .flatMap((source) => {
    const text = readFileSync(source, 'utf8');
    const found = [];
    // Resolving packages from import.meta.url (createRequire, import.meta.resolve) still works.
    const ownPath =
      /new URL\(\s*['"`]\.[^)]*import\.meta\.url|fileURLToPath\(\s*import\.meta\.url|import\.meta\.(dirname|filename)/;
    if (source !== 'package-root.ts' && ownPath.test(text)) {
      found.push(
        `${source}: a path from import.meta.url points into dist/ once bundled; use PACKAGE_ROOT (package-root.ts)`,
      );
    }
    if (/^(const|let|var)\s+require\b/m.test(text))
      found.push(`${source}: a top-level \`require\` clashes with the bundle's (name it otherwise)`);
    return found;
  });
if (problems.length) {
  console.error(`build-cli: ${problems.join('\n  ')}`);
  process.exit(1);
}

// bin/reachlog.js compares these sources' times with this file's to spot a stale build.
writeFileSync('dist/inputs.json', `${JSON.stringify(sources, null, 1)}\n`);
