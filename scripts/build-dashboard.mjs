// `npm run build`, after build-cli.mjs (which empties dist/): bundles the web dashboard's
// browser code (api/web/app) and stylesheet into dist/dashboard, file names content-hashed,
// and writes manifest.json naming them for the API's page shell. Preact and htm are copied
// into the bundle: the browser loads nothing from anywhere but this server.
import { rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { build } from 'esbuild';

const OUT = 'dist/dashboard';
// Source maps (four times the bundle) only when asked, for development: the API serves
// whatever lies in dist/dashboard, and production has no use for them.
const sourcemap = process.argv.includes('--sourcemap');

/**
 * The page shows outside address sets as the CLI does (cli/describe-addresses.ts, through the
 * engine's door). The engine's modules have no side effects at import, so they are marked so:
 * the bundle keeps the address sets it uses and leaves the manifest parser and its YAML out.
 */
const engineWithoutSideEffects = {
  name: 'engine-without-side-effects',
  setup(build) {
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData?.engine) return undefined;
      const intoEngine = /(^|\/)engine\//.test(args.path) || args.importer.includes('/engine/');
      if (!intoEngine) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { engine: true },
      });
      if (resolved.errors.length || !resolved.path.includes('/engine/')) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: { app: 'api/web/app/main.ts', style: 'api/web/app/style.css' },
  outdir: OUT,
  entryNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap,
  metafile: true,
  logLevel: 'warning',
  plugins: [engineWithoutSideEffects],
});

const outputs = Object.entries(metafile.outputs).filter(([file]) => !file.endsWith('.map'));
const named = (entry) => {
  const found = outputs.find(([, o]) => o.entryPoint === entry);
  if (!found) throw new Error(`build-dashboard: no output for ${entry}`);
  return basename(found[0]);
};
const manifest = { script: named('api/web/app/main.ts'), stylesheet: named('api/web/app/style.css') };
writeFileSync(`${OUT}/manifest.json`, `${JSON.stringify(manifest, null, 1)}\n`);
