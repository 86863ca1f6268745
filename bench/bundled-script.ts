import { buildSync } from 'esbuild';
import { basename, resolve } from 'node:path';

const OUT_DIR = 'bench/out/bundled';

/**
 * A bench script bundled as the CLI is (scripts/build-cli.mjs: esbuild, node20, packages
 * outside), run by plain Node. Through tsx every closure is wrapped in a `__name` call that
 * defines its name property (esbuild's keepNames): the engine then allocates 70 % more in its
 * readers than the shipped bundle does, and its timings are not the product's.
 * `checkout` is the tree the script and its imports come from (another revision's, for the yardstick).
 */
export function bundledScript(script: string, checkout = '.'): string {
  const outfile = resolve(checkout, OUT_DIR, basename(script).replace(/\.ts$/, '.mjs'));
  buildSync({
    absWorkingDir: resolve(checkout),
    entryPoints: [script],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}
